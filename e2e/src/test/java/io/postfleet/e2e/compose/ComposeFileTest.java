package io.postfleet.e2e.compose;

import io.postfleet.miner.cli.PostMiner;
import io.postfleet.proofs.cli.PostTool;
import io.postfleet.worker.cli.PostWorkerMain;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compose stack without Docker: every command line in docker-compose.yml is one the programs accept (a renamed
 * flag would otherwise only show when an operator starts the stack), every published port is on 127.0.0.1,
 * Prometheus scrapes the ports the services serve, the GPU override only reserves GPUs for workers, the image's
 * commands start classes that exist, and the registry keeps its schemas on a volume.
 */
class ComposeFileTest {

    private final Map<String, Map<String, Object>> services;

    ComposeFileTest() throws IOException {
        services = ComposeFiles.services(ComposeFiles.load("docker-compose.yml"));
    }

    @Test
    void theMinerCommandIsOneThePostMinerAccepts() throws Exception {
        List<String> cmd = ComposeFiles.command(services.get("miner"));
        assertEquals("post-miner", cmd.get(0));
        CommandLine.ParseResult parsed = PostMiner.commandLine().parseArgs(rest(cmd));
        assertEquals("run", parsed.subcommand().commandSpec().name());
        assertEquals("2346", String.valueOf((Object) parsed.subcommand().matchedOption("--api-port").getValue()));
        assertEquals("0.0.0.0", String.valueOf((Object) parsed.subcommand().matchedOption("--api-host").getValue()),
                "inside its container the miner must listen beyond loopback; the host publishes it on 127.0.0.1");
    }

    @Test
    void theWorkerCommandsAreOnesThePostWorkerAccepts() {
        for (String name : List.of("window-worker", "winning-worker")) {
            List<String> cmd = ComposeFiles.command(services.get(name));
            assertEquals("post-worker", cmd.get(0), name);
            CommandLine.ParseResult parsed = PostWorkerMain.commandLine().parseArgs(rest(cmd));
            assertEquals("run", parsed.subcommand().commandSpec().name(), name);
            boolean window = parsed.subcommand().hasMatchedOption("--windowpost");
            boolean winning = parsed.subcommand().hasMatchedOption("--winningpost");
            assertTrue(window ^ winning, name + " must be exactly one kind");
            assertEquals(name.startsWith("window"), window, name);
        }
    }

    @Test
    void theSectorMakerPledgesWithAPostToolCommand() {
        List<String> cmd = ComposeFiles.command(services.get("sector-maker"));
        String script = cmd.get(cmd.size() - 1);
        int at = script.indexOf("post-tool ");
        assertTrue(at >= 0, script);
        String[] args = script.substring(at + "post-tool ".length()).trim().split("\\s+");
        CommandLine.ParseResult parsed = new CommandLine(new PostTool()).parseArgs(args);
        assertEquals("pledge", parsed.subcommand().commandSpec().name());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyPublishedPortIsOnLoopback() {
        int published = 0;
        for (Map.Entry<String, Map<String, Object>> s : services.entrySet()) {
            for (Object port : (List<Object>) s.getValue().getOrDefault("ports", List.of())) {
                String mapping = ComposeFiles.withDefaults(port.toString());
                assertTrue(mapping.startsWith("127.0.0.1:"), s.getKey() + " publishes " + port + " beyond loopback");
                published++;
            }
        }
        assertTrue(published >= 4, "the miner API, registry, Prometheus and Grafana are published");
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesThePortsTheServicesServe() throws Exception {
        Map<String, Object> prometheus = ComposeFiles.load("deploy/prometheus.yml");
        Set<String> scraped = new TreeSet<>();
        for (Map<String, Object> job : (List<Map<String, Object>>) prometheus.get("scrape_configs")) {
            for (Map<String, Object> sd : (List<Map<String, Object>>) job.get("dns_sd_configs")) {
                for (String host : (List<String>) sd.get("names")) {
                    scraped.add(host + ":" + sd.get("port"));
                }
            }
        }
        Set<String> served = new TreeSet<>();
        served.add("miner:" + option(ComposeFiles.command(services.get("miner")), "--api-port"));
        for (String name : List.of("window-worker", "winning-worker")) {
            served.add(name + ":" + option(ComposeFiles.command(services.get(name)), "--metrics-port"));
        }
        assertEquals(served, scraped);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGpuOverrideReservesOneGpuPerWorkerAndNothingElse() throws Exception {
        Map<String, Map<String, Object>> gpu = ComposeFiles.services(ComposeFiles.load("docker-compose.gpu.yml"));
        assertEquals(Set.of("window-worker", "winning-worker"), gpu.keySet());
        for (Map<String, Object> s : gpu.values()) {
            Map<String, Object> reservations = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                    s.get("deploy")).get("resources")).get("reservations");
            Map<String, Object> device = ((List<Map<String, Object>>) reservations.get("devices")).get(0);
            assertEquals("nvidia", device.get("driver"));
            assertEquals(1, device.get("count"));
        }
        for (Map.Entry<String, Map<String, Object>> s : services.entrySet()) {
            assertFalse(s.getValue().containsKey("deploy"), s.getKey() + ": GPU reservations belong in the override");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRegistryKeepsItsSchemasInADatabaseFileOnAVolume() throws Exception {
        Map<String, Object> registry = services.get("registry");
        String url = String.valueOf(((Map<String, Object>) registry.get("environment")).get("REGISTRY_DATASOURCE_URL"));
        Matcher file = Pattern.compile("jdbc:h2:file:(/[^;]+)/[^/;]+(;.*)?").matcher(url);
        assertTrue(file.matches(), "the registry's storage is an H2 file, not memory: " + url);
        assertTrue(url.contains(";WRITE_DELAY=0"), "every registration is on disk when it is answered: " + url);
        String dir = file.group(1);
        String volume = ((List<Object>) registry.get("volumes")).stream().map(String::valueOf)
                .filter(v -> v.endsWith(":" + dir)).map(v -> v.substring(0, v.indexOf(':'))).findFirst()
                .orElseThrow(() -> new AssertionError("no volume is mounted at " + dir + ": " + registry));
        Map<String, Object> volumes = (Map<String, Object>) ComposeFiles.load("docker-compose.yml").get("volumes");
        assertTrue(volumes.containsKey(volume), "the named volume " + volume + " is declared");
    }

    @Test
    void theImageStartsClassesThatExist() throws Exception {
        String dockerfile = Files.readString(ComposeFiles.root().resolve("Dockerfile"));
        Matcher m = Pattern.compile("io\\.postfleet(\\.\\w+)+").matcher(dockerfile);
        Set<String> mains = new TreeSet<>();
        while (m.find()) {
            mains.add(m.group());
        }
        assertEquals(Set.of(PostMiner.class.getName(), PostWorkerMain.class.getName(), PostTool.class.getName()), mains,
                "post-miner, post-worker and post-tool in the image");
        for (String main : mains) {
            assertTrue(Modifier.isStatic(Class.forName(main).getMethod("main", String[].class).getModifiers()), main);
        }
    }

    private static String[] rest(List<String> cmd) {
        return cmd.subList(1, cmd.size()).toArray(String[]::new);
    }

    private static String option(List<String> cmd, String name) {
        int at = cmd.indexOf(name);
        assertTrue(at >= 0 && at + 1 < cmd.size(), name + " in " + cmd);
        return cmd.get(at + 1);
    }
}
