package io.postfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.postfleet.miner.MinerApp;
import io.postfleet.proving.storage.auth.ApiPermission;
import io.postfleet.proving.storage.auth.ApiToken;
import io.postfleet.proving.storage.auth.SecretSource;
import io.postfleet.proving.storage.auth.TokenSecret;
import io.postfleet.proving.storage.remote.RemoteReadSettings;
import io.postfleet.proving.storage.serve.ServeSettings;
import io.postfleet.schemas.PostKind;
import io.postfleet.worker.consume.PostWorker;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.postfleet.e2e.MinerFleet.await;
import static io.postfleet.e2e.MinerFleet.deadlineSubmitted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fleet proves a deadline, its worker reading every sector from the miner's /remote endpoint; then the miner's and
 * the worker's /metrics pass {@code promtool check metrics}, and every metric the Grafana dashboard queries is among
 * those they export.
 */
class MetricsExpositionTest {

    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset");

    @Test
    void scrapedMetricsPassPromtoolAndCoverEveryDashboardQuery() throws Exception {
        Promtool promtool = Promtool.require();
        try (MinerFleet fleet = new MinerFleet("metrics", 4)) {
            Path secret = Files.createTempDirectory("metrics-secret-").resolve("token-secret");
            String token = ApiToken.upTo(ApiPermission.ADMIN).sign(TokenSecret.loadOrCreate(secret, note -> { }));
            MinerFleet.Settings s = fleet.settings();
            s.storageServe = new ServeSettings(new InetSocketAddress("127.0.0.1", 0), 4, Duration.ofSeconds(20),
                    SecretSource.file(secret), "post-miner");
            MinerApp app = fleet.miner(s);
            int port = freePort();
            PostWorker worker = fleet.worker(PostKind.WINDOW, "window-1", Duration.ZERO, List.of(),
                    c -> c.withRemote(RemoteReadSettings.defaults().withToken(token)).withMetricsPort(port));
            FleetDeadlineTest.awaitLiveWorkers(app, 1);
            app.start();
            await(app, Duration.ofSeconds(90), "deadline 0 submitted", deadlineSubmitted(0));

            String miner = scrape("http://127.0.0.1:" + app.apiPort() + "/metrics");
            String workerMetrics = scrape("http://127.0.0.1:" + worker.metricsPort() + "/metrics");
            for (String[] m : List.of(new String[] {"miner", miner}, new String[] {"worker", workerMetrics})) {
                Promtool.Run r = promtool.run(Path.of("."), m[1], "check", "metrics");
                assertEquals(0, r.exit(), "promtool check metrics on the " + m[0] + "'s /metrics:\n" + r.output());
            }
            assertTrue(workerMetrics.contains("post_storage_remote_reads_total{"), workerMetrics);

            Set<String> exported = new TreeSet<>(names(miner));
            exported.addAll(names(workerMetrics));
            Path dashboard = Promtool.repository().resolve("deploy/grafana/dashboards/postfleet.json");
            JsonNode panels = new ObjectMapper().readTree(dashboard.toFile()).get("panels");
            assertFalse(panels.isEmpty());
            Set<String> queried = new TreeSet<>();
            for (JsonNode panel : panels) {
                for (JsonNode target : panel.get("targets")) {
                    Set<String> inExpr = metricNames(target.get("expr").asText());
                    assertFalse(inExpr.isEmpty(), panel.get("title").asText() + ": no metric in " + target);
                    queried.addAll(inExpr);
                }
            }
            Set<String> missing = new TreeSet<>(queried);
            missing.removeAll(exported);
            assertEquals(Set.of(), missing, "the dashboard queries metrics the fleet does not export; exported: "
                    + exported);
        }
    }

    /** The sample names of an exposition (histogram and summary parts included). */
    static Set<String> names(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            Matcher m = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]").matcher(line);
            if (!line.startsWith("#") && m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The metric names a PromQL expression selects: identifiers left once labels, ranges and functions are gone. */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"[^\"]*\"", "").replaceAll("\\{[^}]*}", "").replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "")
                .replaceAll("\\$\\w+", "");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\()?").matcher(bare);
        while (m.find()) {
            if (m.group(2) == null && !PROMQL_WORDS.contains(m.group(1)) && !m.group(1).matches("\\d.*")) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static String scrape(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url);
        return r.body();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
