package io.postfleet.miner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.TestSectors;
import io.postfleet.proving.fleet.StartupCheck;
import io.postfleet.testkit.EmbeddedKafka;
import io.postfleet.testkit.FixedAnswerServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code post-miner run} refuses a broker that does not answer, a login the broker refuses, a server that is not a
 * registry and a storage path that does not exist before it opens anything: exit 2 and exactly one line on stderr,
 * no usage, no stack trace. The miner has real sectors, so what is refused is only the setting under test;
 * {@code --for} bounds a miner that would start anyway.
 */
class MinerStartupTest {

    @TempDir
    static Path sectors;

    static Manifest manifest;

    @BeforeAll
    static void pledge() throws Exception {
        try (CpuHashBackend backend = new CpuHashBackend()) {
            manifest = new TestSectors(backend).pledge(sectors, SectorSize.KIB_2, 1000, 2, 0, 5, false, n -> { });
        }
    }

    private record Outcome(int code, List<String> err, Duration took) {
    }

    private static Outcome run(List<String> args) {
        CommandLine cl = PostMiner.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        Instant start = Instant.now();
        int code = cl.execute(args.toArray(String[]::new));
        return new Outcome(code, err.toString().lines().toList(), Duration.between(start, Instant.now()));
    }

    private static List<String> args(String bootstrap, String registry, String... more) {
        List<String> a = new ArrayList<>(List.of("run", "--bootstrap", bootstrap, "--registry", registry,
                "--manifest", manifest.dir().resolve(Manifest.FILE_NAME).toString(), "--hash", "java",
                "--api-port", "0", "--epoch", "100ms", "--for", "2s"));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void aBrokerThatDoesNotAnswerIsRefusedWithinTheStatedTime() {
        int nothing = EmbeddedKafka.freePort();
        Outcome o = run(args("127.0.0.1:" + nothing, "http://127.0.0.1:" + EmbeddedKafka.freePort()));
        assertEquals(2, o.code(), String.join("\n", o.err()));
        assertEquals(List.of("--bootstrap 127.0.0.1:" + nothing + ": no Kafka broker answered within 10 s (127.0.0.1:"
                + nothing + ": Connection refused); check the address and that the broker runs"), o.err());
        assertTrue(o.took().compareTo(StartupCheck.WAIT.plusSeconds(5)) < 0, "refused after " + o.took());
    }

    @Test
    void aServerThatAnswersButIsNotARegistryIsRefused() throws Exception {
        try (FixedAnswerServer web = FixedAnswerServer.start(404, "application/json", "{\"status\":\"not here\"}")) {
            String url = web.url();
            Outcome o = run(args(EmbeddedKafka.shared().bootstrapServers(), url));
            assertEquals(2, o.code(), String.join("\n", o.err()));
            assertEquals(List.of("--registry " + url + ": not an Apicurio schema registry (GET " + url
                    + "/apis/registry/v2/system/info answered HTTP 404, application/json: {\"status\":\"not here\"}); "
                    + "give the registry's base URL, e.g. http://127.0.0.1:8080"), o.err());
        }
    }

    @Test
    void aStoragePathThatDoesNotExistIsRefusedInOneLineWithoutTheUsage() {
        Path missing = sectors.resolve("elsewhere");
        Outcome o = run(args("127.0.0.1:" + EmbeddedKafka.freePort(), "http://127.0.0.1:" + EmbeddedKafka.freePort(),
                "--storage", missing.toString()));
        assertEquals(2, o.code(), String.join("\n", o.err()));
        assertEquals(List.of("--storage " + missing + ": does not exist; give a Lotus storage path, the directory "
                + "holding sealed/ and cache/"), o.err());
    }

    @Test
    void aStoragePathWithoutTheLotusLayoutIsRefusedAndAnEmptyOneOnlyWarned() throws Exception {
        Path sealedItself = manifest.dir().resolve("sealed");
        Outcome wrong = run(args("127.0.0.1:" + EmbeddedKafka.freePort(),
                "http://127.0.0.1:" + EmbeddedKafka.freePort(), "--storage", sealedItself.toString()));
        assertEquals(2, wrong.code(), String.join("\n", wrong.err()));
        assertEquals(List.of("--storage " + sealedItself + ": holds no sealed/ or cache/ directory; give the storage "
                + "path itself, the directory holding them"), wrong.err());

        Path empty = Files.createDirectories(sectors.resolve("new-path"));
        Files.createDirectories(empty.resolve("sealed"));
        Files.createDirectories(empty.resolve("cache"));
        int nothing = EmbeddedKafka.freePort();
        Outcome accepted = run(args("127.0.0.1:" + nothing, "http://127.0.0.1:" + EmbeddedKafka.freePort(),
                "--storage", manifest.dir().toString(), "--storage", empty.toString()));
        assertEquals(2, accepted.code(), "refused for the broker, after the storage was accepted");
        assertEquals("warning: --storage " + empty + ": holds no sector yet (sealed/ and update/ are empty)",
                accepted.err().get(0));
        assertTrue(accepted.err().get(1).startsWith("--bootstrap 127.0.0.1:" + nothing + ": no Kafka broker"),
                String.join("\n", accepted.err()));
    }

    @Test
    void aRefusedLoginIsOneLineNamingTheSettingAndAMissingOneNamesTheProtocol() {
        try (EmbeddedKafka secured = EmbeddedKafka.builder().sasl("admin", "admin-secret")
                .scramUser("miner", "miner-secret").start()) {
            List<String> login = new ArrayList<>();
            secured.clientSettings("miner", "not-the-password").forEach((k, v) -> login.addAll(List.of(
                    "--kafka-property", k + "=" + v)));
            Outcome o = run(args(secured.bootstrapServers(), "http://127.0.0.1:" + EmbeddedKafka.freePort(),
                    login.toArray(String[]::new)));
            assertEquals(2, o.code(), String.join("\n", o.err()));
            assertEquals(List.of("--bootstrap " + secured.bootstrapServers() + ": the broker refused the SASL login "
                    + "of user miner (Authentication failed during authentication due to invalid credentials with SASL "
                    + "mechanism SCRAM-SHA-512); check the user name and password in sasl.jaas.config "
                    + "(--kafka-property) and that the user exists on the broker"), o.err());
            assertTrue(o.took().compareTo(Duration.ofSeconds(5)) < 0, "refused at once: " + o.took());

            Outcome plain = run(args(secured.bootstrapServers(), "http://127.0.0.1:" + EmbeddedKafka.freePort()));
            assertEquals(2, plain.code(), String.join("\n", plain.err()));
            assertEquals(List.of("--bootstrap " + secured.bootstrapServers() + ": no Kafka broker answered within 10 s "
                    + "(a server accepts connections there but does not answer as Kafka); check the address and the "
                    + "port, and that the listener takes PLAINTEXT (security.protocol not set)"), plain.err());
        }
    }
}
