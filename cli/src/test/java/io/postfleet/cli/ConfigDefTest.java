package io.postfleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.postfleet.cli.ConfigDef.Key;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

class ConfigDefTest {

    static final Key<String> HOST = Key.text("--host", "T_HOST", "HOST", null, "where to connect");
    static final Key<Duration> EVERY = Key.of("--every", "T_EVERY", "DURATION", "5s", "how often",
            DurationConverter::parse).must(d -> !d.isZero(), "must be positive");
    static final Key<List<String>> PATHS = Key.list("--path", "T_PATHS", "PATH", "a path", t -> t);
    static final Key<String> TOKEN = Key.text("--token", "T_TOKEN", "TOKEN", "", "a secret").masked();
    static final Key<Boolean> QUIET = Key.onOff("--quiet", null, "say less");
    static final ConfigDef DEF = new ConfigDef(List.of(HOST, EVERY, PATHS, TOKEN, QUIET));

    @Command(name = "t")
    static final class Cmd {
    }

    private static ConfigDef.Config parse(Map<String, String> env, String... args) {
        CommandSpec spec = CommandSpec.forAnnotatedObject(new Cmd());
        DEF.addTo(spec);
        CommandLine cl = new CommandLine(spec);
        return DEF.resolve(cl.parseArgs(args), env);
    }

    @Test
    void aFlagWinsOverTheEnvironmentWhichWinsOverTheDefault() {
        ConfigDef.Config c = parse(Map.of("T_HOST", "env-host", "T_EVERY", "2s"), "--host", "flag-host", "--path",
                "/a", "--path", "/b", "--quiet");
        assertEquals("flag-host", c.get(HOST));
        assertEquals(Duration.ofSeconds(2), c.get(EVERY));
        assertEquals(List.of("/a", "/b"), c.get(PATHS));
        assertTrue(c.get(QUIET));
        ConfigDef.Config d = parse(Map.of("T_HOST", "env-host", "T_PATHS", "/x, /y"));
        assertEquals("env-host", d.get(HOST));
        assertEquals(Duration.ofSeconds(5), d.get(EVERY));
        assertEquals(List.of("/x", "/y"), d.get(PATHS));
        assertFalse(d.get(QUIET));
    }

    @Test
    void aMissingOrBadValueNamesTheFlagAndWhereTheValueCameFrom() {
        ConfigException missing = assertThrows(ConfigException.class, () -> parse(Map.of()));
        assertEquals("--host is required: where to connect (or set T_HOST)", missing.getMessage());
        ConfigException zero = assertThrows(ConfigException.class, () -> parse(Map.of("T_EVERY", "0s"), "--host",
                "h"));
        assertEquals("--every (from T_EVERY): '0s' is not valid: must be positive", zero.getMessage());
        ConfigException garbage = assertThrows(ConfigException.class, () -> parse(Map.of(), "--host", "h",
                "--every", "soon"));
        assertTrue(garbage.getMessage().startsWith("--every: 'soon' is not valid: 'soon' is not a duration"),
                garbage.getMessage());
    }

    @Test
    void aFormerFlagOrVariableNameIsStillReadAndHiddenFromUsage() {
        Key<String> hash = Key.text("--hash", "T_HASH", "SPEC", "auto", "backend").formerly("--gpu", "T_GPU");
        ConfigDef def = new ConfigDef(List.of(hash));
        CommandSpec spec = CommandSpec.forAnnotatedObject(new Cmd());
        def.addTo(spec);
        CommandLine cl = new CommandLine(spec);
        assertEquals("java", def.resolve(cl.parseArgs("--gpu", "java"), Map.of()).get(hash));
        assertEquals("native", def.resolve(cl.parseArgs("--hash", "native", "--gpu", "java"), Map.of()).get(hash),
                "the new name wins");
        assertEquals("opencl", def.resolve(cl.parseArgs(), Map.of("T_GPU", "opencl")).get(hash));
        assertEquals("java", def.resolve(cl.parseArgs(), Map.of("T_GPU", "opencl", "T_HASH", "java")).get(hash));
        String usage = cl.getUsageMessage();
        assertTrue(usage.contains("--hash"), usage);
        assertFalse(usage.contains("--gpu"), usage);
    }

    @Test
    void aSettingIsNamedAsTheOperatorGaveIt() {
        ConfigDef.Config c = parse(Map.of("T_HOST", "env-host"), "--every", "3s");
        assertEquals("--host (from T_HOST)", c.named(HOST));
        assertEquals("--every", c.named(EVERY));
        assertEquals("--path (default)", c.named(PATHS));
    }

    @Test
    void theStartUpPrintMasksSecretsAndSaysWhereEachValueCameFrom() {
        String printed = parse(Map.of("T_TOKEN", "s3cret"), "--host", "h").describe();
        assertFalse(printed.contains("s3cret"), printed);
        assertTrue(printed.contains("--token") && printed.contains("****  (T_TOKEN)"), printed);
        assertTrue(printed.contains("--every  PT5S  (default)"), printed);
    }

    @Test
    void aSecretInsideAValueIsPrintedAsTheKeySaysAndARefusedSecretIsNotRepeated() {
        Key<String> apiInfo = Key.text("--api", "T_API", "TOKEN:ADDR", "", "token and address")
                .must(t -> t.isEmpty() || t.contains(":"), "write TOKEN:ADDR")
                .maskedAs(t -> "****" + t.substring(t.indexOf(':')));
        ConfigDef def = new ConfigDef(List.of(apiInfo));
        String printed = def.resolve(Map.of("--api", "s3cret:/ip4/10.0.0.5/tcp/2345/http"), Map.of()).describe();
        assertEquals("  --api  ****:/ip4/10.0.0.5/tcp/2345/http%n".formatted(), printed);
        ConfigException bad = assertThrows(ConfigException.class,
                () -> def.resolve(Map.of(), Map.of("T_API", "s3cret")));
        assertEquals("--api (from T_API): the value is not valid: write TOKEN:ADDR", bad.getMessage());
        assertTrue(bad.fromEnvironment(), "the value came from the environment");
        ConfigException flag = assertThrows(ConfigException.class, () -> def.resolve(Map.of("--api", "s3"),
                Map.of()));
        assertFalse(flag.fromEnvironment(), "the value came from the command line");
    }

    @Test
    void aSettingWithoutAFlagIsReadFromItsVariableNamedByItAndListedAfterTheOptions() {
        Key<Integer> cores = Key.env("T_CORES", "N", "", "shader cores of a custom device",
                t -> t.isEmpty() ? -1 : Integer.parseInt(t)).must(n -> n != 0, "not zero");
        ConfigDef def = new ConfigDef(List.of(HOST, cores));
        CommandSpec spec = CommandSpec.forAnnotatedObject(new Cmd());
        def.addTo(spec);
        CommandLine cl = new CommandLine(spec);
        ConfigDef.Config c = def.resolve(cl.parseArgs("--host", "h"), Map.of("T_CORES", "8704"));
        assertEquals(8704, c.get(cores));
        assertEquals("T_CORES", c.named(cores));
        assertTrue(c.describe().contains("  T_CORES  8704%n".formatted()), c.describe());
        assertEquals("T_CORES (default)", def.resolve(cl.parseArgs("--host", "h"), Map.of()).named(cores));
        ConfigException zero = assertThrows(ConfigException.class,
                () -> def.resolve(cl.parseArgs("--host", "h"), Map.of("T_CORES", "0")));
        assertEquals("T_CORES: '0' is not valid: not zero", zero.getMessage());
        String usage = cl.getUsageMessage();
        assertTrue(usage.contains("Environment:") && usage.contains("  T_CORES=N%n      shader cores of a custom device".formatted()),
                usage);
    }

    @Test
    void usageShowsEachKeysDocVariableAndDefault() {
        CommandSpec spec = CommandSpec.forAnnotatedObject(new Cmd());
        DEF.addTo(spec);
        String usage = new CommandLine(spec).getUsageMessage();
        assertTrue(usage.contains("how often (env T_EVERY; default 5s)"), usage);
        assertTrue(usage.contains("where to connect (env T_HOST; required)"), usage);
    }
}
