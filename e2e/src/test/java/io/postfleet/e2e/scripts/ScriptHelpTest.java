package io.postfleet.e2e.scripts;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every script in scripts/ answers --help with its usage and refuses a bad option in one line with exit 2. Each runs
 * from a copy of scripts/ alone, so that nothing is built there: the scripts' own answers are checked, never a
 * build or a fleet started by an option they wrongly accepted. (The Java commands' usage is checked in their
 * modules, PostToolHelpTest, PostWorkerHelpTest and PostMinerHelpTest.)
 */
class ScriptHelpTest {

    @TempDir
    Path root;

    record Run(int exit, String out, String err) {
    }

    @ParameterizedTest(name = "scripts/{0} --help")
    @ValueSource(strings = {"demo", "kafka", "registry", "bench", "bench-jmh", "post-tool", "post-worker",
            "post-miner"})
    void helpPrintsTheUsageWithoutCodeAndExitsZero(String script) throws Exception {
        for (String flag : List.of("--help", "-h")) {
            Run r = run(script, flag);
            assertEquals(0, r.exit(), script + " " + flag + ": " + r.err());
            assertEquals("", r.err(), script + " " + flag);
            assertTrue(r.out().startsWith("scripts/" + script + " "), r.out());
            assertFalse(r.out().contains("set -euo"), r.out());
            assertFalse(r.out().contains("#!"), r.out());
            assertTrue(r.out().lines().noneMatch(l -> l.startsWith("#") || l.contains("$(") || l.startsWith("exec ")
                    || l.matches("^[a-z_]+=.*")), r.out());
        }
    }

    @ParameterizedTest(name = "scripts/demo {0}")
    @CsvSource(delimiter = '|', value = {
            "--for|scripts/demo: --for needs a value, e.g. --for 60",
            "--for=|scripts/demo: --for needs a value, e.g. --for 60",
            "--sectors --no-build|scripts/demo: --sectors needs a value, e.g. --sectors 16",
            "--epoch|scripts/demo: --epoch needs a value, e.g. --epoch 1s",
            "--for soon|scripts/demo: --for takes whole seconds, e.g. --for 60; got 'soon'",
            "--bogus|scripts/demo: unknown option '--bogus' (see scripts/demo --help)"})
    void demoRefusesABadOptionInOneLineWithExitTwo(String args, String line) throws Exception {
        Run r = run("demo", args.split(" "));
        assertEquals(2, r.exit(), r.out() + r.err());
        assertEquals(line + "\n", r.err());
        assertEquals("", r.out());
    }

    @ParameterizedTest(name = "scripts/{0} --bogus, not built")
    @ValueSource(strings = {"kafka", "registry", "bench", "bench-jmh", "post-tool", "post-worker", "post-miner"})
    void aScriptWhoseModuleIsNotBuiltSaysWhatToBuildInOneLine(String script) throws Exception {
        Run r = run(script, "--bogus");
        assertEquals(2, r.exit(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("scripts/" + script + ": ") && r.err().contains("mvn -q -B install -DskipTests"),
                r.err());
        assertFalse(r.err().contains("unbound variable"), r.err());
    }

    private Run run(String script, String... args) throws IOException, InterruptedException {
        Path scripts = root.resolve("scripts");
        if (!Files.exists(scripts)) {
            copy(repository().resolve("scripts"), scripts);
        }
        List<String> command = new ArrayList<>(List.of("bash", scripts.resolve(script).toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(root.toFile())
                .redirectOutput(root.resolve("out").toFile()).redirectError(root.resolve("err").toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("scripts/" + script + " " + String.join(" ", args) + " still runs after 30 s");
        }
        return new Run(p.exitValue(), Files.readString(root.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(root.resolve("err"), StandardCharsets.UTF_8));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static Path repository() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("scripts/demo"))) {
                return d;
            }
        }
        throw new IllegalStateException("scripts/demo not found above " + Path.of("").toAbsolutePath());
    }
}
