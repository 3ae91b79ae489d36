package io.postfleet.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.post.ApiVersion;
import io.postfleet.proofs.post.ChallengeDeriver;
import io.postfleet.proofs.post.FallbackPoStSectorProof;
import io.postfleet.proofs.post.VanillaProofCodec;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.TestSectors;
import io.postfleet.proving.storage.auth.ApiPermission;
import io.postfleet.proving.storage.auth.ApiToken;
import io.postfleet.proving.storage.auth.TokenSecret;
import io.postfleet.proving.storage.lotus.PoStProofType;
import io.postfleet.proving.storage.lotus.PostSectorChallenge;
import io.postfleet.proving.storage.lotus.SealProofType;
import io.postfleet.proving.storage.lotus.SingleVanillaParams;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code post-worker serve-storage}: a bad flag, a missing or unreadable storage path, a secret that cannot be used
 * and an address in use are each refused within seconds with exactly one line and exit 2, before anything listens;
 * a good start prints the URL it listens on and serves a real vanilla proof to a plain HTTP client.
 */
class ServeStorageCommandTest {

    @TempDir
    static Path storage;

    static Manifest sectors;

    @TempDir
    Path dir;

    @BeforeAll
    static void pledge() throws Exception {
        try (CpuHashBackend backend = new CpuHashBackend()) {
            sectors = new TestSectors(backend).pledge(storage, SectorSize.KIB_2, 1000, 2, 5, 41, false, n -> { });
        }
    }

    private record Outcome(int code, List<String> err, Duration took) {
    }

    private static Outcome run(List<String> args) {
        CommandLine cl = PostWorkerMain.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        Instant start = Instant.now();
        int code = cl.execute(args.toArray(String[]::new));
        return new Outcome(code, err.toString().lines().toList(), Duration.between(start, Instant.now()));
    }

    private List<String> args(String... more) {
        List<String> a = new ArrayList<>(List.of("serve-storage", "--storage", storage.toString(), "--listen",
                "127.0.0.1:0", "--secret", dir.resolve("secret").toString()));
        a.addAll(List.of(more));
        return a;
    }

    private static void assertRefused(Outcome o, String line) {
        assertEquals(2, o.code(), String.join("\n", o.err()));
        assertEquals(List.of(line), o.err());
        assertTrue(o.took().compareTo(Duration.ofSeconds(5)) < 0, "refused within seconds: " + o.took());
    }

    @Test
    void aBadValueIsOneLine() {
        assertRefused(run(args("--parallel-reads", "0")), "--parallel-reads: '0' is not valid: 1..1024");
        assertRefused(run(args("--read-timeout", "soon")), "--read-timeout: 'soon' is not valid: 'soon' is not a "
                + "duration: write e.g. 100ms, 1s, 30s, 5m or 1h");
        assertRefused(run(List.of("serve-storage", "--storage", storage.toString(), "--listen", "127.0.0.1")),
                "--listen: '127.0.0.1' is not valid: write HOST:PORT with a host that resolves and a port 0..65535");
    }

    @Test
    void anUnknownFlagIsOneLineToo() {
        assertRefused(run(args("--bogus")), "Unknown option: '--bogus' (see post-worker serve-storage --help)");
    }

    @Test
    void missingSettingsAreNamed() {
        Assumptions.assumeTrue(System.getenv("POSTFLEET_LISTEN") == null && System.getenv("POSTFLEET_STORAGE") == null);
        assertRefused(run(List.of("serve-storage", "--storage", storage.toString())), "--listen is required: address "
                + "the /remote endpoint listens on, e.g. 0.0.0.0:2346 (port 0: any free port) (or set POSTFLEET_LISTEN)");
        assertRefused(run(List.of("serve-storage", "--listen", "127.0.0.1:0")), "--storage is required: give each "
                + "Lotus storage path this node serves (or set POSTFLEET_STORAGE)");
    }

    @Test
    void aStoragePathThatIsMissingOrUnreadableIsRefused() throws Exception {
        Path missing = dir.resolve("no-such-storage");
        assertRefused(run(List.of("serve-storage", "--storage", missing.toString(), "--listen", "127.0.0.1:0")),
                "--storage " + missing + ": does not exist; give a Lotus storage path, the directory holding sealed/ "
                        + "and cache/");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertRefused(run(List.of("serve-storage", "--storage", file.toString(), "--listen", "127.0.0.1:0")),
                "--storage " + file + ": is not a directory; give a Lotus storage path, the directory holding sealed/ "
                        + "and cache/");
        Path locked = Files.createDirectories(dir.resolve("locked").resolve("sealed")).getParent();
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            Assumptions.assumeFalse(Files.isReadable(locked), "running as root: every directory is readable");
            assertRefused(run(List.of("serve-storage", "--storage", locked.toString(), "--listen", "127.0.0.1:0")),
                    "--storage " + locked + ": cannot be read (permission denied); give this process read access to it");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void anAddressInUseIsRefused() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            List<String> a = args();
            a.set(a.indexOf("127.0.0.1:0"), "127.0.0.1:" + port);
            assertRefused(run(a), "--listen 127.0.0.1:" + port + ": cannot listen there (Address already in use); "
                    + "choose another port, or stop what holds this one");
        }
    }

    @Test
    void aSecretThatCannotBeUsedIsRefused() throws Exception {
        Path shortSecret = Files.write(dir.resolve("short-secret"), new byte[5]);
        List<String> a = args();
        a.set(a.indexOf(dir.resolve("secret").toString()), shortSecret.toString());
        assertRefused(run(a), "--secret " + shortSecret + ": the token secret cannot be made or read (the token secret "
                + shortSecret + " has 5 bytes; it needs at least 32 (delete it to have a new one made, then make new "
                + "tokens))");
        assertRefused(run(args("--token-secret-env", "SOME_SECRET")), "--secret " + dir.resolve("secret")
                + " and --token-secret-env SOME_SECRET were both given: take the secret from one of them");
        Assumptions.assumeTrue(System.getenv("POSTFLEET_TEST_UNSET_SECRET") == null);
        assertRefused(run(List.of("serve-storage", "--storage", storage.toString(), "--listen", "127.0.0.1:0",
                "--token-secret-env", "POSTFLEET_TEST_UNSET_SECRET")), "--token-secret-env POSTFLEET_TEST_UNSET_SECRET:"
                + " the environment variable POSTFLEET_TEST_UNSET_SECRET named for the token secret is not set");
    }

    @Test
    void aGoodStartPrintsItsUrlAndServesARealProof() throws Exception {
        Path secret = dir.resolve("conf").resolve("token-secret");
        List<String> a = List.of("serve-storage", "--storage", storage.toString(), "--listen", "127.0.0.1:0",
                "--secret", secret.toString(), "--node-id", "disk-node-1");
        try (WorkerProcess p = WorkerProcess.start(a, dir.resolve("serve.log"))) {
            assertTrue(p.awaitLog("at http://", Duration.ofSeconds(30)), p.output());
            String output = p.output();
            assertTrue(output.contains("created the token secret " + secret + " (32 random bytes, mode 0600)"), output);
            Matcher m = Pattern.compile("post-worker serve-storage disk-node-1: serving 2 sectors \\(t01000:5\\.\\.6\\) "
                    + "from 1 storage path at (http://127\\.0\\.0\\.1:\\d+/remote)").matcher(output);
            assertTrue(m.find(), output);
            String url = m.group(1);

            String token = ApiToken.upTo(ApiPermission.ADMIN).sign(TokenSecret.read(secret, n -> { }));
            byte[] randomness = TestSectors.randomNode(new java.util.SplittableRandom(3));
            long[] challenges = ChallengeDeriver.window(SectorSize.KIB_2, ApiVersion.V1_2, randomness, 6, 0);
            SingleVanillaParams params = new SingleVanillaParams(1000, new PostSectorChallenge(SealProofType.of(5), 6,
                    sectors.entry(6).commR(), challenges, false), PoStProofType.of(10));
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url + "/vanilla/single"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(params.toJson())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode(), new String(r.body()));
            FallbackPoStSectorProof proof = VanillaProofCodec.decode(r.body());
            assertEquals(6, proof.sectorId());
            assertEquals(challenges.length, proof.proof().inclusionProofs().size());

            HttpResponse<String> stat = http.send(HttpRequest.newBuilder(URI.create(url + "/stat"))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, stat.statusCode(), stat.body());
            assertTrue(stat.body().contains("\"NodeID\":\"disk-node-1\""), stat.body());
            int exit = p.terminate(Duration.ofSeconds(20));
            assertTrue(exit == 0 || exit == 143, "exit " + exit + "\n" + p.output());
        }
    }
}
