package io.postfleet.proofs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postfleet.proofs.hash.BackendSpec;
import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.hash.HashBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class HashOptionTest {

    @Command(name = "probe")
    static final class Probe implements Runnable {
        @Mixin
        HashOption hash;

        @Override
        public void run() {
        }
    }

    @Test
    void parsesTheFlag() {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs("--hash", "opencl:1");
        assertEquals(new BackendSpec.OpenCl(OptionalInt.of(1)), probe.hash.spec());
    }

    @Test
    void withoutTheFlagTheDefaultIsTheEnvironmentOrAuto() {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs();
        String env = System.getenv("POSTFLEET_HASH") != null ? System.getenv("POSTFLEET_HASH") : System.getenv("POSTFLEET_GPU");
        assertEquals(BackendSpec.parse(env), probe.hash.spec());
    }

    @Test
    void aBadValueIsRefusedAtStartUpNamingTheAllowedValues() {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new Probe());
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute("--hash", "cuda");
        assertEquals(2, code);
        assertTrue(err.toString().contains("'cuda'"), err.toString());
        assertTrue(err.toString().contains(BackendSpec.ALLOWED), err.toString());
        assertTrue(err.toString().contains("POSTFLEET_HASH"), err.toString());
    }

    @Test
    void usageMentionsTheEnvironmentVariable() {
        String usage = new CommandLine(new Probe()).getUsageMessage();
        assertTrue(usage.contains("--hash=SPEC"), usage);
        assertTrue(usage.contains("POSTFLEET_HASH"), usage);
        assertFalse(usage.contains("--gpu"), "the former name is hidden: " + usage);
    }

    @Test
    void cpuOpensTheCpuPath() {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs("--hash", "java");
        try (HashBackend backend = probe.hash.open()) {
            assertTrue(backend instanceof CpuHashBackend, backend.description());
        }
    }
}
