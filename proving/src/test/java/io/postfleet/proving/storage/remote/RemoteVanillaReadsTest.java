package io.postfleet.proving.storage.remote;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.post.ChallengeDeriver;
import io.postfleet.proofs.post.PostVerifier;
import io.postfleet.proofs.post.ProvingSector;
import io.postfleet.proofs.post.RemoteSectors;
import io.postfleet.proofs.post.RemoteSectors.Kind;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.StoragePaths;
import io.postfleet.proofs.sector.TestSectors;
import io.postfleet.proving.storage.auth.ApiPermission;
import io.postfleet.proving.storage.auth.ApiToken;
import io.postfleet.proving.storage.auth.SecretSource;
import io.postfleet.proving.storage.auth.TokenSecret;
import io.postfleet.proving.storage.lotus.ApiInfo;
import io.postfleet.proving.storage.serve.ServeSettings;
import io.postfleet.proving.storage.serve.StorageEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Remote vanilla reads against real storage endpoints on 127.0.0.1 over real 2KiB sectors. Every answer is verified
 * before it is used: a holder that answers wrong bytes (a proxy that flips a byte of a real answer) is named and the
 * next holder is asked; a holder that is gone is skipped for the next; a sector no holder serves comes back
 * unavailable with what each holder answered.
 */
class RemoteVanillaReadsTest {

    static final SectorSize SIZE = SectorSize.KIB_2;
    static final long MINER = 1000;

    @TempDir
    static Path dir;

    static CpuHashBackend backend;
    static Manifest sectors;
    static Path secretFile;
    static String token;
    static StorageEndpoint good;
    static StorageEndpoint gone;
    static TamperingProxy tampering;

    @BeforeAll
    static void start() throws Exception {
        backend = new CpuHashBackend(1);
        Path storage = Files.createDirectories(dir.resolve("storage"));
        sectors = new TestSectors(backend).pledge(storage, SIZE, MINER, 3, 0, 5, false, n -> { });
        secretFile = dir.resolve("secret");
        token = ApiToken.upTo(ApiPermission.ADMIN).sign(TokenSecret.loadOrCreate(secretFile, n -> { }));
        good = serve(storage, "good");
        gone = serve(storage, "gone");
        gone.close();   // a holder that went away: its port refuses connections
        tampering = new TamperingProxy(serve(storage, "behind-the-proxy"));
    }

    @AfterAll
    static void stop() {
        good.close();
        tampering.close();
        backend.close();
    }

    static StorageEndpoint serve(Path storage, String id) throws IOException {
        return StorageEndpoint.serve(new ServeSettings(new InetSocketAddress("127.0.0.1", 0), 4, Duration.ofSeconds(20),
                SecretSource.file(secretFile), id), new StoragePaths(List.of(storage)), backend, new SimpleMeterRegistry(),
                Map.of(), n -> { });
    }

    static RemoteVanillaReads.Source source(String name, String baseUrl, String withToken) {
        return new RemoteVanillaReads.Source(name, ApiInfo.parse(withToken + ":" + baseUrl));
    }

    static RemoteVanillaReads reads(SimpleMeterRegistry meters, RemoteVanillaReads.Source... sources) {
        return new RemoteVanillaReads(null, List.of(sources), "", new PostVerifier(backend), 4, Duration.ofSeconds(5),
                Clock.systemUTC(), meters);
    }

    static List<ProvingSector> unseen(long... ids) {
        return java.util.Arrays.stream(ids).mapToObj(id -> new ProvingSector(id, sectors.entry(id).commR(), null)).toList();
    }

    static List<long[]> challenges(long... ids) {
        byte[] randomness = TestSectors.randomNode(new SplittableRandom(11));
        return java.util.Arrays.stream(ids).mapToObj(id -> ChallengeDeriver.window(SIZE,
                io.postfleet.proofs.post.ApiVersion.V1_2, randomness, id, 0)).toList();
    }

    @Test
    void aHolderThatAnswersTamperedBytesIsNamedAndTheNextHolderServes() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (RemoteVanillaReads r = reads(meters, source("tamperer", tampering.baseUrl(), token),
                source("good", good.baseUrl(), token))) {
            List<RemoteSectors.Outcome> out = r.prove(SIZE, Kind.WINDOW, MINER, unseen(0, 1), challenges(0, 1));
            for (RemoteSectors.Outcome o : out) {
                RemoteSectors.Read read = assertInstanceOf(RemoteSectors.Read.class, o, o.toString());
                assertTrue(read.holder().startsWith("good (") && read.holder().contains(
                        "after tamperer (answered a proof that does not verify"), read.holder());
            }
            assertEquals(2, tampering.answered.get(), "the tamperer was asked first, each time");
            assertEquals(2.0, meters.get("post.storage.remote.holders.failed").tag("holder", "tamperer").counter()
                    .count());
            assertEquals(2.0, meters.get("post.storage.remote.reads").tag("holder", "good").tag("outcome", "proven")
                    .counter().count());
        }
        try (RemoteVanillaReads r = reads(new SimpleMeterRegistry(), source("tamperer", tampering.baseUrl(), token))) {
            RemoteSectors.Unavailable u = assertInstanceOf(RemoteSectors.Unavailable.class,
                    r.prove(SIZE, Kind.WINDOW, MINER, unseen(2), challenges(2)).get(0));
            assertTrue(u.reason().contains("tamperer (answered a proof that does not verify"), u.reason());
        }
    }

    @Test
    void aHolderThatIsGoneOrRefusesTheTokenIsPassedOverAndEachAnswerIsNamed() {
        try (RemoteVanillaReads r = reads(new SimpleMeterRegistry(), source("gone", gone.baseUrl(), token),
                source("wrong-token", good.baseUrl(), ApiToken.upTo(ApiPermission.ADMIN).sign(TokenSecret.random())),
                source("good", good.baseUrl(), token))) {
            RemoteSectors.Read read = assertInstanceOf(RemoteSectors.Read.class,
                    r.prove(SIZE, Kind.WINDOW, MINER, unseen(1), challenges(1)).get(0));
            assertTrue(read.holder().startsWith("good "), read.holder());
        }
        try (RemoteVanillaReads r = reads(new SimpleMeterRegistry(), source("gone", gone.baseUrl(), token),
                source("wrong-token", good.baseUrl(), ApiToken.upTo(ApiPermission.ADMIN).sign(TokenSecret.random())))) {
            RemoteSectors.Unavailable u = assertInstanceOf(RemoteSectors.Unavailable.class,
                    r.prove(SIZE, Kind.WINDOW, MINER, unseen(1), challenges(1)).get(0));
            assertTrue(u.reason().contains("gone (unreachable") && u.reason().contains("wrong-token (HTTP 401"),
                    u.reason());
        }
    }

    @Test
    void aSectorNoHolderHasIsUnavailableNamingThe404() {
        List<ProvingSector> missing = List.of(new ProvingSector(99, sectors.entry(0).commR(), null));
        try (RemoteVanillaReads r = reads(new SimpleMeterRegistry(), source("good", good.baseUrl(), token))) {
            RemoteSectors.Unavailable u = assertInstanceOf(RemoteSectors.Unavailable.class,
                    r.prove(SIZE, Kind.WINDOW, MINER, missing, challenges(99)).get(0));
            assertTrue(u.reason().contains("good (404 does not hold it)"), u.reason());
        }
        try (RemoteVanillaReads r = reads(new SimpleMeterRegistry())) {
            RemoteSectors.Unavailable u = assertInstanceOf(RemoteSectors.Unavailable.class,
                    r.prove(SIZE, Kind.WINDOW, MINER, unseen(0), challenges(0)).get(0));
            assertTrue(u.reason().contains("no storage node announces it"), u.reason());
        }
    }

    @Test
    void aHolderKilledInTheMiddleOfAPartitionLeavesItsSectorsToTheOtherHolderOrSkippedWithTheReason() throws Exception {
        // the holder dies after its first answer: the later sectors come from the other copy
        try (TamperingProxy dying = new TamperingProxy(serve(dir.resolve("storage"), "dying"), false, 1);
             RemoteVanillaReads r = new RemoteVanillaReads(null, List.of(source("dying", dying.baseUrl(), token),
                     source("good", good.baseUrl(), token)), "", new PostVerifier(backend), 1, Duration.ofSeconds(5),
                     Clock.systemUTC(), new SimpleMeterRegistry())) {
            List<RemoteSectors.Outcome> out = r.prove(SIZE, Kind.WINDOW, MINER, unseen(0, 1, 2), challenges(0, 1, 2));
            List<String> holders = out.stream().map(o -> assertInstanceOf(RemoteSectors.Read.class, o).holder()
                    .split(" ")[0]).toList();
            assertEquals(List.of("dying", "good", "good"), holders);
        }
        // when no other node holds them, they are skipped with the reason, and the rest of the partition is proven
        try (TamperingProxy dying = new TamperingProxy(serve(dir.resolve("storage"), "dying-alone"), false, 0);
             RemoteVanillaReads r = reads(new SimpleMeterRegistry(), source("dying", dying.baseUrl(), token));
             io.postfleet.proofs.post.PartitionProver prover = new io.postfleet.proofs.post.PartitionProver(backend,
                     io.postfleet.proofs.post.ProverSettings.defaults()).withRemote(r)) {
            byte[] randomness = TestSectors.randomNode(new SplittableRandom(11));
            io.postfleet.proofs.post.PartitionProof p = prover.proveWindow(SIZE,
                    io.postfleet.proofs.post.ApiVersion.V1_2, 0, MINER, randomness,
                    List.of(new ProvingSector(0, sectors.entry(0).commR(), sectors.files(sectors.entry(0))),
                            unseen(1).get(0)));
            assertEquals(List.of(0L), p.proven().stream().map(x -> x.sectorId()).toList());
            assertEquals(1, p.skipped().size());
            assertTrue(p.skipped().get(0).reason().contains("dying (unreachable"), p.skipped().get(0).reason());
        }
    }

    /**
     * A malicious, broken or dying holder, for this test only: a real HTTP server in front of a real endpoint that
     * passes each request on and flips one byte of the proof it gets back, or, dying, stops after some answers.
     */
    static final class TamperingProxy implements AutoCloseable {
        final StorageEndpoint behind;
        final HttpServer server;
        final AtomicInteger answered = new AtomicInteger();
        final HttpClient http = HttpClient.newHttpClient();
        final boolean tamper;
        final int answersBeforeDying;

        TamperingProxy(StorageEndpoint behind) throws IOException {
            this(behind, true, Integer.MAX_VALUE);
        }

        TamperingProxy(StorageEndpoint behind, boolean tamper, int answersBeforeDying) throws IOException {
            this.tamper = tamper;
            this.answersBeforeDying = answersBeforeDying;
            this.behind = behind;
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/remote", ex -> {
                if (answered.get() >= answersBeforeDying) {
                    ex.close();
                    new Thread(() -> server.stop(0)).start();   // gone: later connections are refused
                    return;
                }
                byte[] body;
                try (InputStream in = ex.getRequestBody()) {
                    body = in.readAllBytes();
                }
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(behind.baseUrl() + ex.getRequestURI()))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                if (auth != null) {
                    req.header("Authorization", auth);
                }
                try {
                    HttpResponse<byte[]> res = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
                    byte[] answer = res.body();
                    if (tamper && res.statusCode() == 200 && answer.length > 100) {
                        answer[answer.length - 40] ^= 0x01;   // inside the last path element's digests
                    }
                    answered.incrementAndGet();
                    ex.sendResponseHeaders(res.statusCode(), answer.length);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(answer);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    ex.sendResponseHeaders(500, -1);
                }
            });
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
            behind.close();
        }
    }
}
