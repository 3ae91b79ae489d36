package io.postfleet.e2e;

import io.postfleet.miner.MinerApp;
import io.postfleet.miner.MinerSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.postfleet.miner.chain.WindowSubmission;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.events.MinerEvent;
import io.postfleet.proving.storage.auth.ApiPermission;
import io.postfleet.schemas.PostKind;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.postfleet.e2e.MinerFleet.await;
import static io.postfleet.e2e.MinerFleet.deadlineSubmitted;
import static io.postfleet.e2e.MinerFleet.events;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A deadline of four partitions proven by four window workers at once, then a dry run through the operator API. */
class FleetDeadlineTest {

    @Test
    void fourPartitionsGoToFourWorkersWhoProveThemAtTheSameTime() throws Exception {
        try (MinerFleet fleet = new MinerFleet("fleet", 8)) {
            for (int i = 1; i <= 4; i++) {
                fleet.worker(PostKind.WINDOW, "window-" + i, Duration.ofMillis(1500));
            }
            MinerFleet.Settings s = fleet.settings();
            s.events = Files.createTempFile("events-", ".jsonl");
            s.chainLog = Files.createTempFile("chain-", ".jsonl");
            MinerApp app = fleet.miner(s);
            awaitLiveWorkers(app, 4);
            app.start();

            await(app, Duration.ofSeconds(40), "deadline 0 submitted", deadlineSubmitted(0));
            List<MinerEvent> accepted = events(app, EventType.ACCEPTED).stream().filter(e -> e.deadline() == 0).toList();
            assertEquals(4, accepted.size(), "one accepted proof per partition");
            Set<String> workers = new HashSet<>();
            Instant lastStart = Instant.MIN;
            Instant firstFinish = Instant.MAX;
            for (MinerEvent e : accepted) {
                workers.add(e.worker());
                Instant started = Instant.parse((String) e.details().get("started_at"));
                Instant finished = Instant.parse((String) e.details().get("finished_at"));
                lastStart = started.isAfter(lastStart) ? started : lastStart;
                firstFinish = finished.isBefore(firstFinish) ? finished : firstFinish;
            }
            assertEquals(Set.of("window-1", "window-2", "window-3", "window-4"), workers,
                    "each partition proven by a distinct worker");
            assertTrue(events(app, EventType.REASSIGNED).isEmpty(), "no task is taken from a worker whose heartbeats "
                    + "are live: " + events(app, EventType.REASSIGNED));
            assertTrue(lastStart.isBefore(firstFinish), "all four proving intervals overlap: the last started at "
                    + lastStart + ", the first finished at " + firstFinish);
            Set<Object> topicPartitions = new HashSet<>();
            for (MinerEvent e : events(app, EventType.PUBLISHED)) {
                topicPartitions.add(e.details().get("topic_partition"));
            }
            assertEquals(4, topicPartitions.size(), "four distinct topic partitions chosen: " + topicPartitions);
            assertFalse(topicPartitions.contains(-1));

            List<WindowSubmission> chain = app.chain().submissions();
            assertEquals(1, chain.size());
            assertEquals(List.of(0, 1, 2, 3), chain.get(0).partitions());
            assertTrue(Files.readString(s.chainLog).contains("\"deadline\":0"), Files.readString(s.chainLog));

            ObjectMapper json = new ObjectMapper();
            List<String> lines = Files.readAllLines(s.events);
            assertFalse(lines.isEmpty());
            for (String line : lines) {
                JsonNode n = json.readTree(line);
                for (String field : List.of("ts", "type", "task_id", "deadline", "partition", "worker", "reason")) {
                    assertTrue(n.has(field), field + " missing in " + line);
                }
            }
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"type\":\"submitted\"")));

            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + app.apiPort();
            String read = "Bearer " + app.apiToken(ApiPermission.READ);
            String admin = "Bearer " + app.apiToken(ApiPermission.ADMIN);
            HttpResponse<String> deadlines = http.send(HttpRequest.newBuilder(URI.create(base + "/deadlines"))
                    .header("Authorization", read).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, deadlines.statusCode());
            assertTrue(deadlines.body().contains("submitted, 4/4 partitions proven"), deadlines.body());
            HttpResponse<String> asJson = http.send(HttpRequest.newBuilder(URI.create(base + "/deadlines"))
                    .header("Authorization", read).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode zero = json.readTree(asJson.body()).get("deadlines").get(0);
            assertEquals(0, zero.get("index").asInt());
            assertEquals("submitted", zero.get("state").asText());
            Set<String> acceptedFrom = new HashSet<>();
            zero.get("tasks").forEach(t -> acceptedFrom.add(t.get("worker").asText()));
            assertEquals(workers, acceptedFrom, "the JSON names each partition's worker: " + asJson.body());

            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/deadlines")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode());
            assertTrue(anonymous.body().startsWith("no token: send Authorization: Bearer <token>"), anonymous.body());
            HttpResponse<String> readOnly = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/compute/window-post?deadline=0")).header("Authorization", read)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, readOnly.statusCode(), "a dry run needs admin");
            assertTrue(readOnly.body().startsWith("missing admin permission"), readOnly.body());

            HttpResponse<String> dry = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/compute/window-post?deadline=0&timeout=40s")).header("Authorization", admin)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, dry.statusCode(), dry.body());
            assertTrue(dry.body().contains("every partition proven and verified"), dry.body());
            assertEquals(1, app.chain().submissions().size(), "a dry run submits nothing");

            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/compute/window-post?deadline=30")).header("Authorization", admin)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("deadline 30 has no sectors"), bad.body());

            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(metrics.body().contains("post_miner_events_total{type=\"submitted\"}"), metrics.body());
            assertNotEquals(0, app.metrics().count(EventType.ACCEPTED));
        }
    }

    static void awaitLiveWorkers(MinerApp app, int n) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            var view = app.lag().view(PostKind.WINDOW);
            if (view.partitionsByMember().size() >= n && view.liveWorkers().size() >= n) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the miner never saw " + n + " live window workers: " + app.lag().view(PostKind.WINDOW));
    }
}
