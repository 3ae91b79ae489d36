package io.postfleet.worker.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Serves {@code /metrics} in the Prometheus text format on 127.0.0.1, or on the address in
 * {@code POSTFLEET_METRICS_HOST} where a container's metrics must be reachable from its network (docker-compose sets
 * 0.0.0.0 inside the compose network; the host only sees what compose publishes, on 127.0.0.1).
 */
public final class MetricsEndpoint implements AutoCloseable {

    private final HttpServer server;

    private MetricsEndpoint(HttpServer server) {
        this.server = server;
    }

    /** The environment variable naming the address to bind; 127.0.0.1 when unset. */
    public static final String HOST_ENV = "POSTFLEET_METRICS_HOST";

    /** Starts serving {@code registry} on 127.0.0.1 (or {@code $POSTFLEET_METRICS_HOST}):{@code port}. */
    public static MetricsEndpoint start(PrometheusMeterRegistry registry, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host()), port), 0);
            server.createContext("/metrics", exchange -> {
                byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return new MetricsEndpoint(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + host() + ":" + port
                    + " (port in use? choose another --metrics-port or 0 to turn metrics off)", e);
        }
    }

    static String host() {
        String h = System.getenv(HOST_ENV);
        return h == null || h.isBlank() ? "127.0.0.1" : h.strip();
    }

    public static PrometheusMeterRegistry registry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
