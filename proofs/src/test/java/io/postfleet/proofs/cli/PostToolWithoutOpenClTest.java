package io.postfleet.proofs.cli;

import io.postfleet.proofs.hash.HashBackends;
import io.postfleet.proofs.hash.NativePoseidon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * post-tool in a JVM of its own where no OpenCL library or driver can be found, its output going to files as in
 * {@code digest=$(post-tool poseidon ...)}: standard output carries the command's result and nothing else, since
 * scripts read it. The native half of JOCL writes to the process's standard output directly, which only a child
 * process shows.
 */
class PostToolWithoutOpenClTest {

    static final String ZERO = "0000000000000000000000000000000000000000000000000000000000000000";
    static final String ONE = "0100000000000000000000000000000000000000000000000000000000000000";
    /** Poseidon arity 2 of [0, 1], as PoseidonCommandTest checks in-process. */
    static final String DIGEST = "ffe7029a363c202e9da6059d33a9fba661e1ef02d90f9e736ba5765ed7086539";

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    /** Runs post-tool with {@code jvmOptions} in a fresh JVM whose library and OpenCL driver paths lead nowhere. */
    Run postTool(List<String> jvmOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djava.library.path=" + dir.resolve("no-libraries"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PostTool.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.remove(HashBackends.ENV);
        env.remove(HashBackends.OLD_ENV);
        env.put("LD_LIBRARY_PATH", "");
        env.put("OCL_ICD_VENDORS", dir.resolve("no-vendors").toString());
        env.remove("OCL_ICD_FILENAMES");
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        builder.redirectOutput(out.toFile());
        builder.redirectError(err.toFile());
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("post-tool " + String.join(" ", args) + " did not end within 2 minutes");
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void poseidonOnTheCpuPrintsOnlyTheDigestAndNeverLoadsOpenCl() throws Exception {
        Path classes = dir.resolve("classes.log");
        Run r = postTool(List.of("-Xlog:class+load=info:file=" + classes),
                "poseidon", "--hash", "java", "--arity", "2", ZERO, ONE);
        assertEquals(0, r.exit(), r.err());
        assertEquals(DIGEST + System.lineSeparator(), r.out());
        String loaded = Files.readString(classes, StandardCharsets.UTF_8);
        assertTrue(loaded.contains(PoseidonCommand.class.getName()), "the class log is read from the right run");
        assertFalse(loaded.contains("org.jocl."), "--hash java loaded JOCL");
        assertFalse(loaded.contains("com.sun.jna."), "--hash java loaded JNA");
    }

    @Test
    void poseidonWithTheDefaultBackendPrintsOnlyTheDigest() throws Exception {
        Run r = postTool(List.of(), "poseidon", "--arity", "2", ZERO, ONE);
        assertEquals(0, r.exit(), r.err());
        assertEquals(DIGEST + System.lineSeparator(), r.out());
    }

    @Test
    void withoutTheNativeLibraryAutoHashesOnTheJavaPathWithOneWarningLine() throws Exception {
        Run r = postTool(List.of("-D" + NativePoseidon.LIBRARY_PROPERTY + "=off"), "poseidon", "--arity", "2", ZERO, ONE);
        assertEquals(0, r.exit(), r.err());
        assertEquals(DIGEST + System.lineSeparator(), r.out());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains("WARN") && lines.get(0).contains("Java path")
                && lines.get(0).contains("switched off"), lines.get(0));
    }

    @Test
    void devicesPrintsOnlyItsReport() throws Exception {
        Run r = postTool(List.of(), "devices");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("native: "), lines.get(0));
        assertTrue(lines.get(1).startsWith("no OpenCL device: "), lines.get(1));
        assertTrue(lines.get(2).startsWith("--hash auto -> native") || lines.get(2).startsWith("--hash auto -> java"),
                lines.get(2));
    }

    @Test
    void askingForOpenClFailsWithTheReasonOnStandardErrorOnly() throws Exception {
        Run r = postTool(List.of(), "poseidon", "--hash", "opencl", "--arity", "2", ZERO, ONE);
        assertEquals(2, r.exit(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().contains("no OpenCL device"), r.err());
    }
}
