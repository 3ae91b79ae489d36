package io.postfleet.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Runs Prometheus's {@code promtool}. Absent, the test is skipped, unless {@code POSTFLEET_REQUIRE_PROMTOOL=true}
 * (CI) makes that a failure.
 */
record Promtool(Path binary) {

    record Run(int exit, String output) { }

    static Promtool require() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "promtool");
            if (Files.isExecutable(p)) {
                return new Promtool(p);
            }
        }
        String why = "promtool not found on PATH (apt-get install prometheus, or a Prometheus release's promtool)";
        if ("true".equals(System.getenv("POSTFLEET_REQUIRE_PROMTOOL"))) {
            throw new AssertionError(why + ", and POSTFLEET_REQUIRE_PROMTOOL=true");
        }
        Assumptions.abort(why);
        return null;
    }

    /** {@code promtool args...} in {@code dir}, {@code stdin} written to it (null: none). */
    Run run(Path dir, String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Run(p.exitValue(), out);
    }

    /** The repository root (the e2e module's parent), where deploy/ lives. */
    static Path repository() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("deploy")) ? here : here.getParent();
    }
}
