package io.postfleet.e2e.compose;

import io.postfleet.testkit.EmbeddedKafka;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The repository's docker-compose.yml as an operator runs it: the image built from the Dockerfile, Kafka and the
 * registry from their images, test sectors pledged by the sector-maker, the miner with two windowPoSt workers and one
 * winningPoSt worker (CPU hashing), a 1 s devnet epoch. Passes when the miner has submitted a deadline with nothing
 * missed. Runs only where a Docker engine answers; elsewhere JUnit reports it skipped ("Docker is not available").
 * Published ports are chosen free and bound to 127.0.0.1 (the compose file's POSTFLEET_*_PORT variables).
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackTest {

    private static final Pattern SUBMITTED = Pattern.compile("post_miner_deadlines\\{state=\"submitted\"} (\\S+)");
    private static final Pattern MISSED = Pattern.compile("post_miner_events_total\\{type=\"missed\"} (\\S+)");

    @Test
    void theStackProvesADeadline() throws Exception {
        Path compose = ComposeFiles.root().resolve("docker-compose.yml");
        int api = EmbeddedKafka.freePort();
        Map<String, String> env = Map.of(
                "POSTFLEET_EPOCH", "1s",
                "POSTFLEET_HASH", "auto",
                "POSTFLEET_API_PORT", Integer.toString(api),
                "POSTFLEET_REGISTRY_PORT", Integer.toString(EmbeddedKafka.freePort()),
                "POSTFLEET_PROMETHEUS_PORT", Integer.toString(EmbeddedKafka.freePort()),
                "POSTFLEET_GRAFANA_PORT", Integer.toString(EmbeddedKafka.freePort()));
        try (ComposeContainer stack = new ComposeContainer("postfleet-test", compose.toFile())
                .withLocalCompose(true)
                .withBuild(true)
                .withEnv(env)
                .withServices("kafka", "registry", "sector-maker", "miner", "window-worker", "winning-worker")
                .withScaledService("window-worker", 2)
                .withRemoveVolumes(true)) {
            stack.start();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Instant giveUp = Instant.now().plus(Duration.ofMinutes(5));
            String metrics = "(the miner's API never answered)";
            while (Instant.now().isBefore(giveUp)) {
                try {
                    // /metrics needs no token, like Lotus's /debug/metrics: the test holds none of the miner's secret
                    metrics = get(http, api, "/metrics");
                    if (count(SUBMITTED, metrics) >= 1) {
                        assertEquals(0.0, count(MISSED, metrics), "missed deadlines or winning proofs:\n" + metrics);
                        return;
                    }
                } catch (java.io.IOException notYet) {
                    // the miner is still starting
                }
                Thread.sleep(2000);
            }
            fail("no deadline submitted within 5 minutes of the stack starting; the miner's metrics:\n" + metrics);
        }
    }

    private static String get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double count(Pattern p, String metrics) {
        Matcher m = p.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
