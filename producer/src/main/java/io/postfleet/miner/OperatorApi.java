package io.postfleet.miner;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.postfleet.miner.chain.DeadlineInfo;
import io.postfleet.miner.chain.Partition;
import io.postfleet.miner.deadline.DeadlineRun;
import io.postfleet.miner.deadline.TaskRecord;
import io.postfleet.miner.deadline.TaskState;
import io.postfleet.cli.DurationConverter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The running miner's operator API, plain HTTP on {@code host:port} (127.0.0.1 by default), read by
 * {@code post-miner proving ...}:
 * <ul>
 *   <li>{@code GET /deadlines}: the proving period's deadlines, their partitions and sectors, and what became of each;</li>
 *   <li>{@code POST /compute/window-post?deadline=N[&timeout=DURATION]}: a dry run of deadline N through the fleet
 *   (or locally when no worker consumes), verified, never submitted; answers when it settled;</li>
 *   <li>{@code POST /compute/winning-post[?timeout=DURATION]}: the same for a winning proof;</li>
 *   <li>{@code GET /metrics}: Prometheus metrics.</li>
 * </ul>
 * Answers are text; a bad request gets 400 with the reason.
 */
public final class OperatorApi implements AutoCloseable {

    private final HttpServer server;

    private OperatorApi(HttpServer server) {
        this.server = server;
    }

    static OperatorApi start(String host, int port, OperatorService app) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the operator API on " + host + ":" + port
                    + " (port in use? choose another --api-port, or 0 for any free port)", e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "miner-api");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/metrics", x -> reply(x, 200, app.scrapeMetrics()));
        server.createContext("/deadlines", x -> reply(x, 200, app.deadlines()));
        server.createContext("/compute/window-post", x -> {
            try {
                Map<String, String> q = query(x.getRequestURI());
                if (!q.containsKey("deadline")) {
                    throw new IllegalArgumentException("name the deadline: /compute/window-post?deadline=N (0..47)");
                }
                int deadline = Integer.parseInt(q.get("deadline"));
                reply(x, 200, app.dryRunWindow(deadline, timeout(q)));
            } catch (RuntimeException e) {
                reply(x, 400, e.getMessage() + "\n");
            }
        });
        server.createContext("/compute/winning-post", x -> {
            try {
                reply(x, 200, app.dryRunWinning(timeout(query(x.getRequestURI()))));
            } catch (RuntimeException e) {
                reply(x, 400, e.getMessage() + "\n");
            }
        });
        server.start();
        return new OperatorApi(server);
    }

    private static Duration timeout(Map<String, String> q) {
        return q.containsKey("timeout") ? DurationConverter.parse(q.get("timeout"))
                : Duration.ofMinutes(30);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new HashMap<>();
        if (uri.getRawQuery() == null) {
            return q;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                q.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
