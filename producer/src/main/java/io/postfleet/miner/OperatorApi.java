package io.postfleet.miner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.postfleet.cli.DurationConverter;
import io.postfleet.proving.storage.auth.ApiPermission;
import io.postfleet.proving.storage.auth.ApiToken;
import io.postfleet.proving.storage.auth.TokenRejectedException;
import io.postfleet.proving.storage.auth.TokenSecret;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The running miner's operator API, plain HTTP on {@code host:port} (127.0.0.1 by default), read by
 * {@code post-miner info} and {@code post-miner proving ...}:
 * <ul>
 *   <li>{@code GET /info}, {@code /deadlines}, {@code /workers}, {@code /events}: the miner's summary, the proving
 *   period's deadlines, the workers, recent events ({@code read} permission);</li>
 *   <li>{@code POST /compute/window-post?deadline=N[&timeout=DURATION]}, {@code POST /compute/winning-post}: dry
 *   runs through the fleet (or locally when no worker consumes), verified, never submitted ({@code admin});</li>
 *   <li>{@code GET /status}: the live status page, which reads {@code GET /status.json} ({@code read});</li>
 *   <li>{@code GET /metrics}: Prometheus metrics, open like Lotus's {@code /debug/metrics}.</li>
 * </ul>
 * Requests carry a Lotus API token ({@code post-miner auth create-token}) as {@code Authorization: Bearer TOKEN}
 * or, for a browser, as {@code ?token=TOKEN}; it is checked against the miner's token secret. Answers are text, or
 * JSON when the request asks for {@code Accept: application/json} or {@code ?format=json}. A bad request gets 400
 * with the reason, a missing or refused token 401 or 403, each one line.
 */
public final class OperatorApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PAGE = "status.html";

    private final HttpServer server;

    private OperatorApi(HttpServer server) {
        this.server = server;
    }

    static OperatorApi start(String host, int port, OperatorService app, TokenSecret secret, String workersTopic) {
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
        byte[] page = page();
        server.createContext("/metrics", x -> reply(x, 200, "text/plain; version=0.0.4; charset=utf-8",
                app.scrapeMetrics()));
        server.createContext("/", x -> {
            String path = x.getRequestURI().getPath();
            if (path.equals("/") || path.equals("/status")) {
                send(x, 200, "text/html; charset=utf-8", page);
            } else {
                reply(x, 404, "text/plain; charset=utf-8", "no such page: " + path + " (try /status, /info, "
                        + "/deadlines, /workers, /events, /metrics)\n");
            }
        });
        server.createContext("/status.json", read(secret, app::status, v -> "use ?format=json\n"));
        server.createContext("/info", read(secret, app::info, OperatorText::info));
        server.createContext("/deadlines", read(secret, app::deadlines, OperatorText::deadlines));
        server.createContext("/workers", read(secret, app::workers, w -> OperatorText.workers(w, workersTopic)));
        server.createContext("/events", read(secret, () -> app.recentEvents(OperatorService.RECENT_EVENTS),
                events -> {
                    StringBuilder sb = new StringBuilder();
                    events.forEach(e -> sb.append(e.ts()).append(' ').append(e.type()).append(' ')
                            .append(e.taskId() == null ? "" : e.taskId()).append(' ')
                            .append(e.worker() == null ? "" : e.worker()).append(' ')
                            .append(e.reason() == null ? "" : e.reason()).append('\n'));
                    return sb.toString();
                }));
        server.createContext("/compute/window-post", admin(secret, q -> {
            if (!q.containsKey("deadline")) {
                throw new IllegalArgumentException("name the deadline: /compute/window-post?deadline=N (0..47)");
            }
            int deadline;
            try {
                deadline = Integer.parseInt(q.get("deadline"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("deadline=" + q.get("deadline") + " is not a number: 0..47");
            }
            return app.dryRunWindow(deadline, timeout(q));
        }));
        server.createContext("/compute/winning-post", admin(secret, q -> app.dryRunWinning(timeout(q))));
        server.start();
        return new OperatorApi(server);
    }

    /** A GET answered with {@code view}, as text or JSON, for a token allowing {@code read}. */
    private static <T> HttpHandler read(TokenSecret secret, Supplier<T> view, Function<T, String> text) {
        return x -> {
            if (!authorized(x, secret, ApiPermission.READ)) {
                return;
            }
            answer(x, view.get(), text);
        };
    }

    /** A POST answered with what {@code action} returns, for a token allowing {@code admin}. */
    private static HttpHandler admin(TokenSecret secret, Function<Map<String, String>, OperatorViews.DryRun> action) {
        return x -> {
            if (!x.getRequestMethod().equals("POST")) {
                reply(x, 405, "text/plain; charset=utf-8", x.getRequestURI().getPath() + " takes POST\n");
                return;
            }
            if (!authorized(x, secret, ApiPermission.ADMIN)) {
                return;
            }
            OperatorViews.DryRun run;
            try {
                run = action.apply(query(x.getRequestURI()));
            } catch (IllegalArgumentException e) {
                reply(x, 400, "text/plain; charset=utf-8", e.getMessage() + "\n");
                return;
            }
            answer(x, run, OperatorText::dryRun);
        };
    }

    private static <T> void answer(HttpExchange x, T value, Function<T, String> text) throws IOException {
        if (wantsJson(x)) {
            try {
                reply(x, 200, "application/json", JSON.writeValueAsString(value));
            } catch (JsonProcessingException e) {
                reply(x, 500, "text/plain; charset=utf-8", "cannot write the answer as JSON: " + e.getMessage() + "\n");
            }
        } else {
            reply(x, 200, "text/plain; charset=utf-8", text.apply(value));
        }
    }

    /**
     * Whether the request carries a valid token allowing {@code perm}; when not, the 401 or 403 is sent here, one line
     * saying what is wrong and how to get a token.
     */
    static boolean authorized(HttpExchange x, TokenSecret secret, ApiPermission perm) throws IOException {
        String problem = tokenProblem(x.getRequestHeaders().getFirst("Authorization"),
                query(x.getRequestURI()).get("token"), secret, perm);
        if (problem == null) {
            return true;
        }
        x.getResponseHeaders().add("WWW-Authenticate", "Bearer");
        reply(x, problem.startsWith("missing") ? 403 : 401, "text/plain; charset=utf-8", problem + "\n");
        return false;
    }

    /** Why a request with this Authorization header or token parameter may not do what needs {@code perm}; null if it may. */
    static String tokenProblem(String authorization, String tokenParam, TokenSecret secret, ApiPermission perm) {
        String token;
        if (authorization != null && !authorization.isBlank()) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return "the Authorization header is not 'Bearer <token>'";
            }
            token = authorization.substring(7).strip();
        } else if (tokenParam != null && !tokenParam.isBlank()) {
            token = tokenParam.strip();
        } else {
            return "no token: send Authorization: Bearer <token> (post-miner auth create-token --perm "
                    + perm.wireName() + "; the commands take it from MINER_API_INFO)";
        }
        ApiToken t;
        try {
            t = ApiToken.verify(token, secret, Instant.now());
        } catch (TokenRejectedException e) {
            return "token refused: " + e.getMessage();
        }
        if (!t.allows(perm)) {
            return "missing " + perm.wireName() + " permission: the token allows " + t.describe()
                    + " (post-miner auth create-token --perm " + perm.wireName() + ")";
        }
        return null;
    }

    private static boolean wantsJson(HttpExchange x) {
        String accept = x.getRequestHeaders().getFirst("Accept");
        return "json".equals(query(x.getRequestURI()).get("format"))
                || (accept != null && accept.contains("application/json"));
    }

    private static Duration timeout(Map<String, String> q) {
        return q.containsKey("timeout") ? DurationConverter.parse(q.get("timeout"))
                : Duration.ofMinutes(30);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static byte[] page() {
        try (InputStream in = OperatorApi.class.getResourceAsStream(PAGE)) {
            if (in == null) {
                throw new IllegalStateException(PAGE + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new HashMap<>();
        if (uri.getRawQuery() == null) {
            return q;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    private static void reply(HttpExchange x, int status, String type, String body) throws IOException {
        send(x, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange x, int status, String type, byte[] bytes) throws IOException {
        x.getResponseHeaders().add("Content-Type", type);
        x.getResponseHeaders().add("Cache-Control", "no-store");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
