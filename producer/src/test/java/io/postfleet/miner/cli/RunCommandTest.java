package io.postfleet.miner.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad flags are refused at start-up, exit 2, with a message naming the flag and what to do; nothing is contacted. */
class RunCommandTest {

    @TempDir
    Path dir;

    private record Outcome(int code, String err) {
    }

    private Outcome run(String... args) {
        CommandLine cl = PostMiner.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int code = cl.execute(args);
        return new Outcome(code, err.toString());
    }

    private List<String> base(String... more) throws Exception {
        Path manifest = dir.resolve("manifest.json");
        if (!Files.exists(manifest)) {
            Files.writeString(manifest, "{}");
        }
        List<String> a = new ArrayList<>(List.of("run", "--bootstrap", "127.0.0.1:1", "--registry",
                "http://127.0.0.1:1", "--manifest", manifest.toString()));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void aMissingManifestIsRefusedSayingHowToMakeOne() {
        Outcome o = run("run", "--bootstrap", "127.0.0.1:1", "--registry", "http://127.0.0.1:1", "--manifest",
                dir.resolve("nope.json").toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("does not exist: pledge test sectors with `post-tool pledge"), o.err());
    }

    @Test
    void badDurationsAndRangesAreRefused() throws Exception {
        Outcome epoch = run(base("--epoch", "10ms").toArray(String[]::new));
        assertEquals(2, epoch.code());
        assertTrue(epoch.err().contains("--epoch: '10ms' is not valid: too short: use 100ms or more"), epoch.err());

        Outcome words = run(base("--epoch", "soon").toArray(String[]::new));
        assertEquals(2, words.code());
        assertTrue(words.err().contains("'soon' is not a duration"), words.err());

        Outcome p = run(base("--win-probability", "1.5").toArray(String[]::new));
        assertEquals(2, p.code());
        assertTrue(p.err().contains("--win-probability: '1.5' is not valid: between 0 and 1"), p.err());

        Outcome port = run(base("--api-port", "70000").toArray(String[]::new));
        assertEquals(2, port.code());
        assertTrue(port.err().contains("--api-port: '70000' is not valid: 0 (any free port) or 1..65535"),
                port.err());
    }

    @Test
    void aBadStorageListenAddressIsRefused() throws Exception {
        Outcome o = run(base("--storage-listen", "127.0.0.1").toArray(String[]::new));
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--storage-listen: '127.0.0.1' is not valid: empty, or HOST:PORT with a host that "
                + "resolves"), o.err());
    }

    @Test
    void aMissingBrokerIsRefusedNamingTheEnvironmentVariable() {
        Outcome o = run("run", "--registry", "http://127.0.0.1:1", "--manifest", dir.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("POSTFLEET_BOOTSTRAP"), o.err());
    }

    @Test
    void operatorCommandsSayWhenNoMinerAnswers() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort(); // free, then closed: nothing listens there
        }
        Outcome o = run("proving", "deadlines", "--api", "http://127.0.0.1:" + port);
        assertEquals(1, o.code());
        assertTrue(o.err().contains("no miner answers at"), o.err());
    }
}
