package io.postfleet.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JNA binding of getrlimit/setrlimit against what the kernel says in /proc/PID/limits. Reading is tested in this
 * JVM; setting changes the process, so it is tested in child JVMs ({@link RoundTrip}) started under a shell's
 * {@code ulimit}.
 */
@EnabledOnOs(OS.LINUX)
class OpenFileLimitTest {

    @TempDir
    Path dir;

    @Test
    void theLimitsReadAreTheOnesTheKernelReportsForThisProcess() throws Exception {
        assertEquals(kernel(Path.of("/proc/self/limits")), OpenFileLimit.read());
    }

    @Test
    void theSoftLimitIsLoweredAndSetBackWithinTheHardLimitInAChildJvm() throws Exception {
        long hard = OpenFileLimit.read().hard();
        List<String> lines = child(null, "round-trip", "300");
        assertEquals(List.of("before soft " + OpenFileLimit.text(hard) + ", hard " + OpenFileLimit.text(hard),
                "lowered soft 300, hard " + OpenFileLimit.text(hard),
                "kernel soft 300, hard " + OpenFileLimit.text(hard),
                "restored soft " + OpenFileLimit.text(hard) + ", hard " + OpenFileLimit.text(hard)), lines.subList(0, 4));
        assertTrue(lines.get(4).startsWith("refused: setrlimit(RLIMIT_NOFILE, soft "), lines.get(4));
        assertTrue(lines.get(4).contains("EINVAL: the soft limit is above the hard limit"), lines.get(4));
    }

    @Test
    void aLowSoftLimitIsRaisedToTheHardOneInAChildJvmTheJvmLeftIt() throws Exception {
        long hard = OpenFileLimit.read().hard();
        // -XX:-MaxFDLimit: the JVM leaves the soft limit as the shell set it, so the raise is this code's
        List<String> lines = child("ulimit -Sn 256", "raise");
        assertEquals(List.of("raised soft 256, hard " + OpenFileLimit.text(hard) + " -> soft "
                + OpenFileLimit.text(hard) + ", hard " + OpenFileLimit.text(hard)), lines);
    }

    /** The open-file limits of /proc/PID/limits' "Max open files" line. */
    static OpenFileLimit.Limits kernel(Path limits) throws Exception {
        for (String line : Files.readAllLines(limits)) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                return new OpenFileLimit.Limits(number(f[0]), number(f[1]));
            }
        }
        throw new AssertionError("no 'Max open files' line in " + limits);
    }

    private static long number(String field) {
        return field.equals("unlimited") ? OpenFileLimit.UNLIMITED : Long.parseLong(field);
    }

    /** Runs {@link RoundTrip} with {@code args} in a child JVM (after {@code shell}, when given); its output lines. */
    private List<String> child(String shell, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (shell != null) {
            cmd.addAll(List.of("bash", "-c", shell + " && exec \"$@\"", "bash"));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-MaxFDLimit",
                "-cp", System.getProperty("java.class.path"), RoundTrip.class.getName()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("child.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child still running");
        assertEquals(0, p.exitValue(), Files.readString(out));
        return Files.readAllLines(out);
    }

    /** What a child JVM does with its own limits, printed one line each. */
    public static final class RoundTrip {

        public static void main(String[] args) throws Exception {
            if (args[0].equals("raise")) {
                OpenFileLimit.Raised r = OpenFileLimit.raise();
                System.out.println("raised " + r.before() + " -> " + r.after());
                return;
            }
            OpenFileLimit.Limits before = OpenFileLimit.read();
            System.out.println("before " + before);
            OpenFileLimit.set(new OpenFileLimit.Limits(Long.parseLong(args[1]), before.hard()));
            System.out.println("lowered " + OpenFileLimit.read());
            System.out.println("kernel " + kernel(Path.of("/proc/self/limits")));
            OpenFileLimit.set(before);
            System.out.println("restored " + OpenFileLimit.read());
            try {
                long above = before.hard() == OpenFileLimit.UNLIMITED ? before.hard() : before.hard() + 1;
                OpenFileLimit.set(new OpenFileLimit.Limits(above, before.hard() == OpenFileLimit.UNLIMITED
                        ? 1024 : before.hard()));
                System.out.println("not refused");
            } catch (IllegalStateException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
    }
}
