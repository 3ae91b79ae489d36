package io.postfleet.proving.storage.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.post.ApiVersion;
import io.postfleet.proofs.post.ChallengeDeriver;
import io.postfleet.proofs.post.FallbackPoStSectorProof;
import io.postfleet.proofs.post.PartitionProof;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.PostVerifier;
import io.postfleet.proofs.post.ProverSettings;
import io.postfleet.proofs.post.ProvingSector;
import io.postfleet.proofs.post.VanillaProofCodec;
import io.postfleet.proofs.post.Verdict;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.StoragePaths;
import io.postfleet.proofs.sector.TestSectors;
import io.postfleet.proving.storage.auth.ApiPermission;
import io.postfleet.proving.storage.auth.ApiToken;
import io.postfleet.proving.storage.auth.SecretSource;
import io.postfleet.proving.storage.auth.TokenSecret;
import io.postfleet.proving.storage.lotus.CommCid;
import io.postfleet.proving.storage.lotus.PostSectorChallenge;
import io.postfleet.proving.storage.lotus.SealProofType;
import io.postfleet.proving.storage.lotus.PoStProofType;
import io.postfleet.proving.storage.lotus.SingleVanillaParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage endpoint as a client sees it: a real server on 127.0.0.1 at a free port over real 2KiB sectors, the
 * real prover behind it, a plain HTTP client in front. A valid request gets the bytes the prover gives for the same
 * challenges, and they verify; every refusal has its status and a message naming the problem, reads nothing when
 * the token or the body is refused, and leaves the endpoint serving.
 */
class StorageEndpointTest {

    static final SectorSize SIZE = SectorSize.KIB_2;
    static final long MINER = 1000;
    static final int WINDOW_2KIB = SIZE.registeredWindowProof();
    static final int WINNING_2KIB = SIZE.registeredWinningProof();
    /** StackedDrg2KiBV1_1 */
    static final int SEAL_2KIB = 5;

    @TempDir
    static Path storage;

    static CpuHashBackend backend;
    static Manifest sealed;
    static Manifest upgraded;
    static TokenSecret secret;
    static PartitionProver partitionProver;
    static LocalVanillaProver prover;
    static SimpleMeterRegistry registry;
    static StorageEndpoint endpoint;
    static String admin;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void serve() throws Exception {
        backend = new CpuHashBackend();
        TestSectors sectors = new TestSectors(backend);
        sealed = sectors.pledge(storage, SIZE, MINER, 3, 10, 21, false, n -> { });
        upgraded = sectors.pledge(storage, SIZE, MINER, 1, 20, 22, true, n -> { });
        secret = TokenSecret.random();
        admin = ApiToken.upTo(ApiPermission.ADMIN).sign(secret);
        partitionProver = new PartitionProver(backend, ProverSettings.defaults().withThreads(1));
        prover = new LocalVanillaProver(new StoragePaths(List.of(storage)), partitionProver);
        registry = new SimpleMeterRegistry();
        endpoint = StorageEndpoint.start(settings(4, Duration.ofSeconds(20)), secret, prover,
                new DirectoryInventory(prover.paths()), registry);
    }

    @AfterAll
    static void stop() {
        endpoint.close();
        partitionProver.close();
        backend.close();
    }

    static ServeSettings settings(int parallelReads, Duration readTimeout) {
        return new ServeSettings(new InetSocketAddress("127.0.0.1", 0), parallelReads, readTimeout,
                SecretSource.file(Path.of("token-secret-not-used")), "test-node");
    }

    static byte[] randomness(int seed) {
        return TestSectors.randomNode(new java.util.SplittableRandom(seed));
    }

    static SingleVanillaParams window(Manifest m, long sectorId, long[] challenges) {
        Manifest.Entry e = m.entry(sectorId);
        return new SingleVanillaParams(MINER, new PostSectorChallenge(SealProofType.of(SEAL_2KIB), sectorId, e.commR(),
                challenges, e.updated()), PoStProofType.of(WINDOW_2KIB));
    }

    static HttpResponse<byte[]> post(StorageEndpoint to, String body, String token) throws Exception {
        return post(to, body.getBytes(StandardCharsets.UTF_8), token);
    }

    static HttpResponse<byte[]> post(StorageEndpoint to, byte[] body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(to.url() + "/vanilla/single"))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8).strip();
    }

    static void assertStillServes() throws Exception {
        long[] c = ChallengeDeriver.window(SIZE, ApiVersion.V1_2, randomness(99), 11, 0);
        HttpResponse<byte[]> r = post(endpoint, window(sealed, 11, c).toJson(), admin);
        assertEquals(200, r.statusCode(), text(r));
    }

    @Test
    void aWindowRequestIsAnsweredWithTheProverSBytesAndTheyVerify() throws Exception {
        byte[] randomness = randomness(1);
        long id = 10;
        long[] challenges = ChallengeDeriver.window(SIZE, ApiVersion.V1_2, randomness, id, 0);
        HttpResponse<byte[]> r = post(endpoint, window(sealed, id, challenges).toJson(), admin);
        assertEquals(200, r.statusCode(), text(r));
        assertEquals("application/octet-stream", r.headers().firstValue("Content-Type").orElse(""));

        FallbackPoStSectorProof direct = partitionProver.vanillaProof(SIZE, new ProvingSector(id,
                sealed.entry(id).commR(), sealed.files(sealed.entry(id))), challenges);
        assertArrayEquals(VanillaProofCodec.encode(direct), r.body());

        FallbackPoStSectorProof served = VanillaProofCodec.decode(r.body());
        assertEquals(id, served.sectorId());
        // one sector of a 2KiB partition, padded to the partition's two entries as the prover pads
        Verdict v = new PostVerifier(backend).verifyWindow(SIZE, ApiVersion.V1_2, 0, randomness,
                new TreeMap<>(Map.of(id, sealed.entry(id).commR())), new PartitionProof(List.of(served, served),
                        List.of()));
        assertInstanceOf(Verdict.Valid.class, v, v.toString());
    }

    @Test
    void aWinningRequestOfAnUpgradedSectorIsAnsweredAndVerifies() throws Exception {
        byte[] randomness = randomness(2);
        long id = 20;
        long[] challenges = ChallengeDeriver.winning(SIZE, randomness, id);
        Manifest.Entry e = upgraded.entry(id);
        SingleVanillaParams p = new SingleVanillaParams(MINER, new PostSectorChallenge(SealProofType.of(SEAL_2KIB), id,
                e.commR(), challenges, true), PoStProofType.of(WINNING_2KIB));
        HttpResponse<byte[]> r = post(endpoint, p.toJson(), admin);
        assertEquals(200, r.statusCode(), text(r));
        FallbackPoStSectorProof served = VanillaProofCodec.decode(r.body());
        byte[] proverId = ChallengeDeriver.proverId(MINER);
        Verdict v = new PostVerifier(backend).verifyWinning(SIZE, randomness, proverId,
                new TreeMap<>(Map.of(id, e.commR())), new PartitionProof(List.of(served), List.of()));
        assertInstanceOf(Verdict.Valid.class, v, v.toString());
    }

    @Test
    void refusedTokensAreAnswered401AndNothingIsRead() throws Exception {
        String body = window(sealed, 10, ChallengeDeriver.window(SIZE, ApiVersion.V1_2, randomness(3), 10, 0)).toJson();
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("none", null);
        cases.put("another secret", ApiToken.upTo(ApiPermission.ADMIN).sign(TokenSecret.random()));
        cases.put("read only", ApiToken.upTo(ApiPermission.READ).sign(secret));
        cases.put("sign, not admin", ApiToken.upTo(ApiPermission.SIGN).sign(secret));
        cases.put("expired", ApiToken.upTo(ApiPermission.ADMIN).expiringAt(Instant.now().minusSeconds(5)).sign(secret));
        Map<String, String> expected = Map.of(
                "none", "unauthorized: no token; send Authorization: Bearer <token> (post-miner auth create-token "
                        + "--perm admin)",
                "another secret", "unauthorized: the token's signature does not match: it was made with another "
                        + "secret, or altered",
                "read only", "unauthorized: missing admin permission (the token allows read; /remote needs admin, as"
                        + " in Lotus)",
                "sign, not admin", "unauthorized: missing admin permission (the token allows read, write, sign; "
                        + "/remote needs admin, as in Lotus)",
                "expired", "unauthorized: the token expired at ");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            long before = endpoint.storageAccesses();
            HttpResponse<byte[]> r = post(endpoint, body, c.getValue());
            assertEquals(401, r.statusCode(), c.getKey() + ": " + text(r));
            JsonNode error = JSON.readTree(r.body());
            assertTrue(error.get("Error").asText().startsWith(expected.get(c.getKey())), c.getKey() + ": " + text(r));
            assertEquals(before, endpoint.storageAccesses(), c.getKey() + ": the storage was looked into");
            HttpResponse<String> stat = http.send(HttpRequest.newBuilder(URI.create(endpoint.url() + "/stat"))
                    .header("Authorization", c.getValue() == null ? "Basic eDp5" : "Bearer " + c.getValue()).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, stat.statusCode(), c.getKey() + ": " + stat.body());
            assertEquals(before, endpoint.storageAccesses(), c.getKey() + ": stat looked into the storage");
        }
        assertStillServes();
    }

    @Test
    void malformedBodiesAreAnswered400NamingTheFieldWithoutReading() throws Exception {
        String good = window(sealed, 10, ChallengeDeriver.window(SIZE, ApiVersion.V1_2, randomness(4), 10, 0)).toJson();
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"Miner\":1000,\"Sector\":", "body: not JSON: ");
        cases.put(good.replace("\"ProofType\":" + WINDOW_2KIB, "\"ProofType\":42"),
                "ProofType: 42 is not a RegisteredPoStProof (winning 0..4, window 5..14)");
        cases.put(good.replaceFirst("\"Challenge\":\\[\\d+", "\"Challenge\":[64"),
                "Sector.Challenge[0]: leaf 64 is beyond the 64 leaves of a 2KiB sector (0..63)");
        cases.put(good.replace("\"SectorNumber\":10", "\"SectorNumber\":\"../../etc/passwd\""),
                "Sector.SectorNumber: must be a whole number, got string \"../../etc/passwd\"");
        cases.put(good.replace("\"Miner\":1000", "\"miner\":1000"), "miner: unknown field");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            long before = endpoint.storageAccesses();
            HttpResponse<byte[]> r = post(endpoint, c.getKey(), admin);
            assertEquals(400, r.statusCode(), text(r));
            assertEquals("text/plain; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
            assertTrue(text(r).startsWith(c.getValue()), text(r));
            assertEquals(before, endpoint.storageAccesses(), "a refused body read nothing: " + text(r));
            assertStillServes();
        }
    }

    @Test
    void aHugeBodyIsAnswered413() throws Exception {
        byte[] huge = new byte[2 << 20];
        java.util.Arrays.fill(huge, (byte) ' ');
        long before = endpoint.storageAccesses();
        HttpResponse<byte[]> r = post(endpoint, huge, admin);
        assertEquals(413, r.statusCode(), text(r));
        assertEquals("body: the request body is over 1048576 bytes; a SingleVanillaParams is a few hundred", text(r));
        assertEquals(before, endpoint.storageAccesses());
        assertStillServes();
    }

    @Test
    void aSectorNotHeldIsAnswered404SoTheCallerAsksTheNextHolder() throws Exception {
        long[] c = ChallengeDeriver.window(SIZE, ApiVersion.V1_2, randomness(5), 99, 0);
        SingleVanillaParams p = new SingleVanillaParams(MINER, new PostSectorChallenge(SealProofType.of(SEAL_2KIB), 99,
                sealed.entry(10).commR(), c, false), PoStProofType.of(WINDOW_2KIB));
        HttpResponse<byte[]> r = post(endpoint, p.toJson(), admin);
        assertEquals(404, r.statusCode(), text(r));
        assertEquals("sector 99 of t01000 is not held here: no sealed/s-t01000-99 in the storage path " + storage,
                text(r));
        // sector 10 exists, but not upgraded: asked as an update it is not here either
        SingleVanillaParams update = new SingleVanillaParams(MINER, new PostSectorChallenge(SealProofType.of(SEAL_2KIB),
                10, sealed.entry(10).commR(), c, true), PoStProofType.of(WINDOW_2KIB));
        HttpResponse<byte[]> u = post(endpoint, update.toJson(), admin);
        assertEquals(404, u.statusCode(), text(u));
        assertEquals("sector 10 of t01000 is not held here: no update/s-t01000-10 in the storage path " + storage,
                text(u));
        assertStillServes();
    }

    @Test
    void aSealedCidThatIsNotTheSectorHeldIsAnswered500Clearly() throws Exception {
        long[] c = ChallengeDeriver.window(SIZE, ApiVersion.V1_2, randomness(6), 10, 0);
        byte[] otherCommR = sealed.entry(11).commR();
        SingleVanillaParams p = new SingleVanillaParams(MINER, new PostSectorChallenge(SealProofType.of(SEAL_2KIB), 10,
                otherCommR, c, false), PoStProofType.of(WINDOW_2KIB));
        HttpResponse<byte[]> r = post(endpoint, p.toJson(), admin);
        assertEquals(500, r.statusCode(), text(r));
        assertEquals("sector 10 of t01000: the request's SealedCID " + CommCid.encode(otherCommR) + " is not the comm_r"
                + " of the sector held here (" + CommCid.encode(sealed.entry(10).commR()) + ", from p_aux in "
                + sealed.files(sealed.entry(10)).cacheDir() + "): the request names another comm_r, or these files "
                + "belong to another sector", text(r));
        assertStillServes();
    }

    @Test
    void aCorruptTreeFileIsAnswered500WithTheProverSReason(@TempDir Path copy) throws Exception {
        try (CpuHashBackend b = new CpuHashBackend();
             PartitionProver pp = new PartitionProver(b, ProverSettings.defaults().withThreads(1))) {
            Manifest m = new TestSectors(b).pledge(copy, SIZE, MINER, 1, 30, 23, false, n -> { });
            Path tree = m.files(m.entry(30)).treeFile(SIZE.shape(), 0);
            byte[] t = Files.readAllBytes(tree);
            t[5] ^= 1;
            Files.write(tree, t);
            LocalVanillaProver lp = new LocalVanillaProver(new StoragePaths(List.of(copy)), pp);
            try (StorageEndpoint e = StorageEndpoint.start(settings(2, Duration.ofSeconds(20)), secret, lp,
                    new DirectoryInventory(lp.paths()), new SimpleMeterRegistry())) {
                long[] c = ChallengeDeriver.window(SIZE, ApiVersion.V1_2, randomness(7), 30, 0);
                HttpResponse<byte[]> r = post(e, window(m, 30, c).toJson(), admin);
                assertEquals(500, r.statusCode(), text(r));
                assertTrue(text(r).startsWith("sector 30 of t01000: p_aux comm_r_last "), text(r));
                assertTrue(text(r).contains(" disagrees with the root of the tree files "), text(r));
            }
        }
    }

    @Test
    void statSaysWhatTheNodeHoldsAsRanges() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint.url() + "/stat"))
                .header("Authorization", "Bearer " + admin).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode n = JSON.readTree(r.body());
        assertEquals("test-node", n.get("NodeID").asText());
        assertEquals(4, n.get("Sectors").asLong());
        assertEquals(JSON.readTree("[{\"Miner\":1000,\"First\":10,\"Last\":12},{\"Miner\":1000,\"First\":20,\"Last\":20}]"),
                n.get("Ranges"));
        assertEquals(storage.toString(), n.get("Paths").get(0).get("Path").asText());
        assertEquals(4, n.get("Paths").get(0).get("Sectors").asLong());
        assertTrue(n.get("Available").asLong() > 0, r.body());
        assertEquals(List.of(new SectorRange(MINER, 10, 12), new SectorRange(MINER, 20, 20)),
                endpoint.inventory().held());
    }

    @Test
    void otherMethodsAndPathsAreRefusedAfterTheToken() throws Exception {
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(endpoint.url() + "/vanilla/single"))
                .header("Authorization", "Bearer " + admin).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode(), get.body());
        assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
        HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create(endpoint.url() + "/sealed/s-t01000-10"))
                .header("Authorization", "Bearer " + admin).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, other.statusCode(), other.body());
        assertTrue(other.body().startsWith("no such endpoint /remote/sealed/s-t01000-10"), other.body());
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(endpoint.url()
                + "/sealed/s-t01000-10")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), anonymous.body());
    }

    @Test
    void metersCountRequestsBytesAndReadTimes() throws Exception {
        double served = registry.find("post.storage.requests").tag("outcome", "served").tag("route", "vanilla_single")
                .counters().stream().mapToDouble(c -> c.count()).sum();
        assertStillServes();
        assertEquals(served + 1, registry.get("post.storage.requests").tag("outcome", "served")
                .tag("route", "vanilla_single").counter().count());
        assertTrue(registry.get("post.storage.served").counter().count() > 0);
        assertTrue(registry.get("post.storage.read.duration").tag("outcome", "served").timer().count() >= 1);
        post(endpoint, "{", admin);
        assertTrue(registry.get("post.storage.requests").tag("outcome", "bad_request").counter().count() >= 1);
    }
}
