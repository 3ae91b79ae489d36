package io.postfleet.proving.storage.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.ProverSettings;
import io.postfleet.proofs.sector.StoragePaths;
import io.postfleet.proving.storage.auth.ApiPermission;
import io.postfleet.proving.storage.auth.ApiToken;
import io.postfleet.proving.storage.auth.TokenRejectedException;
import io.postfleet.proving.storage.auth.TokenSecret;
import io.postfleet.proving.storage.lotus.ApiInfo;
import io.postfleet.proving.storage.lotus.InvalidParamsException;
import io.postfleet.proving.storage.lotus.SingleVanillaParams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /remote} endpoint of a sector holder, Lotus's protocol on the JDK's HTTP server:
 * <ul>
 *   <li>{@code POST /remote/vanilla/single}, body {@link SingleVanillaParams}: 200 with the sector's bincode vanilla
 *   proof ({@code application/octet-stream}); 404 when the sector is not held here (ask the next holder); 400 for a
 *   body that is not what Lotus sends, naming the field; 413 for a body over 1 MiB; 500 with the reason when the
 *   sector is here but cannot be proven, or the answer took longer than the read time-out;</li>
 *   <li>{@code GET /remote/stat}: JSON with the node id, its storage paths (sectors, free and total bytes), its
 *   sector count and the sector ranges it holds.</li>
 * </ul>
 * Every request must carry {@code Authorization: Bearer <token>} of a token signed with this node's secret that
 * allows {@code admin}, as Lotus requires for {@code /remote}; the token is checked before the body is looked at or
 * any file is touched, and a refusal is 401 with {@code {"Error":"unauthorized: ..."}} as Lotus answers. At most
 * {@code parallelReads} sectors are read at once; a request waits for a slot, and gets its answer or a 500 within
 * the read time-out.
 */
public final class StorageEndpoint implements AutoCloseable {

    public static final String VANILLA_SINGLE = "/remote/vanilla/single";
    public static final String STAT = "/remote/stat";

    private static final Logger log = LoggerFactory.getLogger(StorageEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A body over the limit is read this far (and thrown away) so the client sees the 413, then cut off. */
    private static final long DRAIN_LIMIT = 16L * ServeSettings.MAX_BODY_BYTES;

    private final ServeSettings settings;
    private final TokenSecret secret;
    private final LocalVanillaProver prover;
    private final SectorInventory inventory;
    private final StorageMeters meters;
    private final HttpServer server;
    private final ThreadPoolExecutor handlers;
    private final ThreadPoolExecutor reads;
    private final AtomicLong inventoryLooks = new AtomicLong();
    private final List<AutoCloseable> owned = new ArrayList<>();

    private StorageEndpoint(HttpServer server, ServeSettings settings, TokenSecret secret, LocalVanillaProver prover,
                            SectorInventory inventory, MeterRegistry registry) {
        this.settings = settings;
        this.secret = secret;
        this.prover = prover;
        this.inventory = inventory;
        this.meters = new StorageMeters(registry);
        this.server = server;
        int n = settings.parallelReads();
        this.reads = pool(n, "storage-read");
        // handlers mostly wait for a read slot: enough of them that waiting requests do not queue unseen
        this.handlers = pool(Math.min(512, 4 * n + 16), "storage-http");
        server.setExecutor(handlers);
        server.createContext("/remote", this::handle);
        server.start();
    }

    /**
     * Starts serving {@code prover}'s storage paths on {@code settings.listen()}.
     *
     * @throws IOException when the address cannot be bound (in use, not an address of this host)
     */
    public static StorageEndpoint start(ServeSettings settings, TokenSecret secret, LocalVanillaProver prover,
                                        SectorInventory inventory, MeterRegistry registry) throws IOException {
        return new StorageEndpoint(HttpServer.create(settings.listen(), 0), settings, secret, prover, inventory,
                registry);
    }

    /**
     * Binds the address, opens the token secret, a prover over {@code backend} bounded by the settings and the
     * inventory of {@code paths}, and starts serving them; closing the endpoint closes that prover. {@code notes}
     * hears where the secret is and any warning about it. The address is bound first, so an address in use is
     * refused before a secret file is made.
     *
     * @throws IOException              when the address cannot be bound, or the secret file cannot be made or read
     * @throws IllegalArgumentException when the secret's environment variable is unset or not a secret
     */
    public static StorageEndpoint serve(ServeSettings settings, StoragePaths paths, HashBackend backend,
                                        MeterRegistry registry, Map<String, String> env, Consumer<String> notes)
            throws IOException {
        HttpServer server = HttpServer.create(settings.listen(), 0);
        PartitionProver partitionProver = null;
        try {
            TokenSecret secret = settings.secret().open(env, notes);
            partitionProver = new PartitionProver(backend, new ProverSettings(settings.parallelReads(),
                    settings.readTimeout(), settings.readTimeout(), 1));
            StorageEndpoint e = new StorageEndpoint(server, settings, secret, new LocalVanillaProver(paths,
                    partitionProver), new DirectoryInventory(paths), registry);
            e.owned.add(partitionProver);
            return e;
        } catch (IOException | RuntimeException e) {
            server.stop(0);
            if (partitionProver != null) {
                partitionProver.close();
            }
            throw e;
        }
    }

    /** The port bound (the one chosen when the settings said 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The host as the settings gave it (a wildcard stays a wildcard). */
    public String host() {
        return settings.listen().getHostString();
    }

    /** {@code http://HOST:PORT/remote}: the base URL Lotus's storage index would list for this node. */
    public String url() {
        return ApiInfo.of("", host(), port()).remoteUrl();
    }

    /** The base URL ({@code http://HOST:PORT}) a storage announcement carries: Lotus's routes are under it. */
    public String baseUrl() {
        return ApiInfo.of("", host(), port()).baseUrl();
    }

    /** How many times the storage was looked into: sector lookups and reads, and inventory scans. */
    public long storageAccesses() {
        return prover.storageAccesses() + inventoryLooks.get();
    }

    public SectorInventory inventory() {
        return inventory;
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        reads.shutdownNow();
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }

    private void handle(HttpExchange x) {
        String path = x.getRequestURI().getPath();
        String route = path.equals(VANILLA_SINGLE) ? "vanilla_single" : path.equals(STAT) ? "stat" : "other";
        try (x) {
            String refused = refusal(x.getRequestHeaders().getFirst("Authorization"));
            if (refused != null) {
                discard(x.getRequestBody());
                ObjectNode error = JSON.createObjectNode().put("Error", "unauthorized: " + refused);
                meters.request(route, "unauthorized");
                send(x, 401, "application/json", JSON.writeValueAsBytes(error));
                return;
            }
            switch (route) {
                case "vanilla_single" -> {
                    if (method(x, "POST", route)) {
                        vanilla(x);
                    }
                }
                case "stat" -> {
                    if (method(x, "GET", route)) {
                        stat(x);
                    }
                }
                default -> {
                    discard(x.getRequestBody());
                    meters.request(route, "no_route");
                    text(x, 404, "no such endpoint " + path + ": this node serves POST " + VANILLA_SINGLE + " and GET "
                            + STAT);
                }
            }
        } catch (IOException e) {
            log.debug("{} {}: the client went away: {}", x.getRequestMethod(), path, e.toString());
        } catch (RuntimeException e) {
            log.warn("{} {} failed", x.getRequestMethod(), path, e);
            meters.request(route, "failed");
            try {
                text(x, 500, "internal error: " + e);
            } catch (IOException | RuntimeException ignored) {
                // the answer may have started already
            }
        }
    }

    /** Why {@code authorization} does not allow this request; null when it does. Reads nothing but the header. */
    private String refusal(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return "no token; send Authorization: Bearer <token> (post-miner auth create-token --perm admin)";
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "the Authorization header is not 'Bearer <token>'";
        }
        ApiToken token;
        try {
            token = ApiToken.verify(authorization.substring(7).strip(), secret, Instant.now());
        } catch (TokenRejectedException e) {
            return e.getMessage();
        }
        if (!token.allows(ApiPermission.ADMIN)) {
            return "missing admin permission (the token allows " + token.describe() + "; /remote needs admin, as in"
                    + " Lotus)";
        }
        return null;
    }

    private boolean method(HttpExchange x, String allowed, String route) throws IOException {
        if (x.getRequestMethod().equals(allowed)) {
            return true;
        }
        discard(x.getRequestBody());
        x.getResponseHeaders().set("Allow", allowed);
        meters.request(route, "bad_method");
        text(x, 405, x.getRequestMethod() + " is not allowed on " + x.getRequestURI().getPath() + "; use " + allowed);
        return false;
    }

    private void vanilla(HttpExchange x) throws IOException {
        long start = System.nanoTime();
        byte[] body = body(x);
        if (body == null) {
            x.getResponseHeaders().set("Connection", "close");
            meters.request("vanilla_single", "too_large");
            text(x, 413, "body: the request body is over " + ServeSettings.MAX_BODY_BYTES + " bytes; a "
                    + "SingleVanillaParams is a few hundred");
            return;
        }
        SingleVanillaParams params;
        try {
            params = SingleVanillaParams.parse(body);
        } catch (InvalidParamsException e) {
            meters.request("vanilla_single", "bad_request");
            text(x, 400, e.getMessage());
            return;
        }
        VanillaAnswer answer = read(params, start);
        // meters first: a client that has its answer sees them counted
        String outcome = answer instanceof VanillaAnswer.Proof ? "served"
                : answer instanceof VanillaAnswer.NotHeld ? "not_held"
                : answer instanceof VanillaAnswer.TimedOut ? "timed_out" : "failed";
        meters.request("vanilla_single", outcome);
        meters.read(outcome, Duration.ofNanos(System.nanoTime() - start));
        if (answer instanceof VanillaAnswer.Proof p) {
            meters.served(p.bytes().length);
            send(x, 200, "application/octet-stream", p.bytes());
        } else if (answer instanceof VanillaAnswer.NotHeld n) {
            text(x, 404, n.reason());
        } else if (answer instanceof VanillaAnswer.TimedOut t) {
            text(x, 500, t.reason());
        } else {
            String reason = ((VanillaAnswer.Failed) answer).reason();
            log.warn("vanilla proof of sector {} of t0{} failed: {}", params.sector().sectorNumber(), params.miner(),
                    reason);
            text(x, 500, reason);
        }
    }

    /** Proves in a read slot, waiting for one when all are busy, all within the read time-out from {@code start}. */
    private VanillaAnswer read(SingleVanillaParams params, long start) {
        String sector = "sector " + params.sector().sectorNumber() + " of t0" + params.miner();
        // claimed by whoever comes first: the read slot (it runs) or the time-out (it never will)
        AtomicBoolean claimed = new AtomicBoolean();
        AtomicInteger waiting = meters.waiting();
        waiting.incrementAndGet();
        Future<VanillaAnswer> f;
        try {
            f = reads.submit(() -> {
                if (!claimed.compareAndSet(false, true)) {
                    return null;
                }
                waiting.decrementAndGet();
                meters.active().incrementAndGet();
                try {
                    return prover.prove(params);
                } finally {
                    meters.active().decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            waiting.decrementAndGet();
            return new VanillaAnswer.Failed(sector + ": this node is shutting down");
        }
        long left = start + settings.readTimeout().toNanos() - System.nanoTime();
        try {
            return f.get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (claimed.compareAndSet(false, true)) {
                waiting.decrementAndGet();
                f.cancel(false);
                return new VanillaAnswer.TimedOut(sector + ": all " + settings.parallelReads() + " read slots stayed busy for the"
                        + " read time-out of " + words(settings.readTimeout()) + "; ask another holder or retry");
            }
            f.cancel(true);
            return new VanillaAnswer.TimedOut(sector + ": reading its challenges took longer than the read time-out of "
                    + words(settings.readTimeout()) + " (slow or hung storage)");
        } catch (ExecutionException e) {
            return new VanillaAnswer.Failed(sector + ": " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            return new VanillaAnswer.Failed(sector + ": interrupted (the node is stopping)");
        }
    }

    private void stat(HttpExchange x) throws IOException {
        discard(x.getRequestBody());
        inventoryLooks.incrementAndGet();
        List<SectorInventory.StoragePathStat> paths = inventory.paths();
        List<SectorRange> held = inventory.held();
        ObjectNode n = JSON.createObjectNode();
        n.put("NodeID", settings.nodeId());
        n.put("Sectors", held.stream().mapToLong(SectorRange::count).sum());
        n.put("Available", paths.stream().mapToLong(p -> Math.max(0, p.available())).sum());
        ArrayNode ps = n.putArray("Paths");
        for (SectorInventory.StoragePathStat p : paths) {
            ps.addObject().put("Path", p.path()).put("Sectors", p.sectors()).put("Available", p.available())
                    .put("Capacity", p.capacity());
        }
        ArrayNode rs = n.putArray("Ranges");
        for (SectorRange r : held) {
            rs.addObject().put("Miner", r.minerId()).put("First", r.first()).put("Last", r.last());
        }
        meters.request("stat", "served");
        send(x, 200, "application/json", JSON.writeValueAsBytes(n));
    }

    /** The body, or null when it is over the limit (read on a little, so the client can take the 413). */
    private static byte[] body(HttpExchange x) throws IOException {
        String length = x.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > DRAIN_LIMIT) {
                    return null;
                }
            } catch (NumberFormatException e) {
                // the server refuses such a request before it gets here
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        long total = 0;
        InputStream in = x.getRequestBody();
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total <= ServeSettings.MAX_BODY_BYTES) {
                out.write(buf, 0, n);
            } else if (total > DRAIN_LIMIT) {
                break;
            }
        }
        return total > ServeSettings.MAX_BODY_BYTES ? null : out.toByteArray();
    }

    /** Reads and drops what is left of a body (bounded), so the client gets the answer on a clean connection. */
    private static void discard(InputStream in) throws IOException {
        byte[] buf = new byte[16384];
        long total = 0;
        for (int n; total <= DRAIN_LIMIT && (n = in.read(buf)) > 0; ) {
            total += n;
        }
    }

    private static void text(HttpExchange x, int status, String message) throws IOException {
        send(x, status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream o = x.getResponseBody()) {
                o.write(body);
            }
        }
    }

    private static ThreadPoolExecutor pool(int threads, String name) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    private static String words(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
