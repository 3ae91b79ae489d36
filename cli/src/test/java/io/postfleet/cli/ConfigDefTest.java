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
    void usageShowsEachKeysDocVariableAndDefault() {
        CommandSpec spec = CommandSpec.forAnnotatedObject(new Cmd());
        DEF.addTo(spec);
        String usage = new CommandLine(spec).getUsageMessage();
        assertTrue(usage.contains("how often (env T_EVERY; default 5s)"), usage);
        assertTrue(usage.contains("where to connect (env T_HOST; required)"), usage);
    }
}
