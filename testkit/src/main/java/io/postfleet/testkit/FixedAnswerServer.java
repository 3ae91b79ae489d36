package io.postfleet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP server on 127.0.0.1 (a free port) that gives every request the same answer: for tests of what a client
 * does with a server that answers but is not the one it expects (a web page where a registry should be).
 */
public final class FixedAnswerServer implements AutoCloseable {

    private final HttpServer server;

    private FixedAnswerServer(HttpServer server) {
        this.server = server;
    }

    public static FixedAnswerServer start(int status, String contentType, String body) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            server.createContext("/", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", contentType);
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
            return new FixedAnswerServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a test HTTP server on 127.0.0.1", e);
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
