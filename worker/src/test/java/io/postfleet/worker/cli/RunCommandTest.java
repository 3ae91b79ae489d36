package io.postfleet.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.postfleet.cli.ConfigDef;
import io.postfleet.cli.ConfigException;
import io.postfleet.schemas.PostKind;
import io.postfleet.worker.config.WorkerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunCommandTest {

    private record Run(int exit, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = PostWorkerMain.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int exit = cl.execute(args);
        return new Run(exit, err.toString());
    }

    @Test
    void bothKindFlagsAreRefusedAtStartUp() {
        Run r = run("run", "--windowpost", "--winningpost", "--bootstrap", "127.0.0.1:1", "--registry", "http://x");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--windowpost and --winningpost were both given"), r.err());
    }

    @Test
    void neitherKindFlagIsRefusedAtStartUp() {
        Run r = run("run", "--bootstrap", "127.0.0.1:1", "--registry", "http://x");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("choose the kind of work: --windowpost or --winningpost"), r.err());
    }

    @Test
    void aMissingBootstrapOrABadDurationIsRefusedNamingTheFlag() {
        Run r = run("run", "--winningpost", "--registry", "http://x");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--bootstrap"), r.err());
        Run d = run("run", "--winningpost", "--bootstrap", "h:1", "--registry", "http://x", "--prove-delay", "soon");
        assertEquals(2, d.exit());
        assertTrue(d.err().contains("'soon' is not a duration"), d.err());
    }

    @Test
    void theStartUpPrintMasksTheStorageTokenAndTheTokensOfApiInfoStrings() {
        String token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJBbGxvdyI6WyJhZG1pbiJdfQ.bWFkZS11cC1zaWduYXR1cmU";
        ConfigDef.Config c = WorkerConfig.DEFINITION.resolve(Map.of("--windowpost", "true", "--bootstrap", "h:1",
                "--registry", "http://x", "--storage-token", "own-" + token,
                "--remote-storage", token + ":/ip4/10.0.0.5/tcp/2345/http"),
                Map.of("MINER_API_INFO", "MINER_API_INFO=" + token + ":/ip4/10.0.0.6/tcp/2345/http"));
        String printed = c.describe();
        assertFalse(printed.contains(token.substring(0, 20)), printed);
        assertTrue(printed.matches("(?s).*\n  --storage-token +\\*{4}\n.*"), printed);
        assertTrue(printed.matches("(?s).*\n  --remote-storage +\\[\\*{4}:/ip4/10\\.0\\.0\\.5/tcp/2345/http]\n.*"),
                printed);
        assertTrue(printed.matches("(?s).*\n  MINER_API_INFO +\\*{4}:/ip4/10\\.0\\.0\\.6/tcp/2345/http\n.*"), printed);
        assertEquals("own-" + token, WorkerConfig.from(c).remote().token(), "the flag's token is the one sent");
        String fromMiner = WorkerConfig.DEFINITION.resolve(Map.of("--windowpost", "true", "--bootstrap", "h:1",
                "--registry", "http://x"), Map.of("MINER_API_INFO", token + ":/ip4/10.0.0.6/tcp/2345/http"))
                .describe();
        assertFalse(fromMiner.contains(token.substring(0, 20)), fromMiner);
    }

    @Test
    void aMalformedMinerApiInfoIsRefusedWithoutItsToken() {
        String token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJBbGxvdyI6WyJhZG1pbiJdfQ.bWFkZS11cC1zaWduYXR1cmU";
        ConfigException e = assertThrows(ConfigException.class, () -> WorkerConfig.DEFINITION.resolve(Map.of(
                "--windowpost", "true", "--bootstrap", "h:1", "--registry", "http://x"),
                Map.of("MINER_API_INFO", token + ":/ip4/10.0.0/tcp/2345/http")));
        assertEquals("MINER_API_INFO: the value is not valid: '****:/ip4/10.0.0/tcp/2345/http': '10.0.0' is not an "
                + "/ip4 address; write /ip4/HOST/tcp/PORT/http (or /ip6/, /dns/, /dns4/, /dns6/)", e.getMessage());
        assertTrue(e.fromEnvironment());
    }

    @Test
    void flagsBuildOneTypedConfig() {
        CommandLine cl = PostWorkerMain.commandLine();
        CommandLine.ParseResult pr = cl.parseArgs("run", "--winningpost", "--bootstrap", "127.0.0.1:9", "--registry",
                "http://127.0.0.1:8", "--storage", "/a", "--storage", "/b", "--worker-id", "w7", "--hash", "java",
                "--heartbeat-interval", "2s", "--topic-prefix", "t1.", "--metrics-port", "0");
        RunCommand run = (RunCommand) pr.subcommand().commandSpec().userObject();
        WorkerConfig c = run.config();
        assertEquals(PostKind.WINNING, c.kind());
        assertEquals(List.of(Path.of("/a"), Path.of("/b")), c.storage());
        assertEquals("w7", c.workerId());
        assertEquals(Duration.ofSeconds(2), c.heartbeatInterval());
        assertEquals("postfleet-winning", c.groupId());
        assertEquals("t1.post.winning.tasks", c.taskTopic());
        assertEquals("t1.post.results", c.topics().results());
        assertTrue(c.headline().contains("winningPoSt"), c.headline());
    }
}
