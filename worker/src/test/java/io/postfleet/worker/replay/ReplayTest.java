package io.postfleet.worker.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.postfleet.messaging.topic.Topics;
import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.schemas.PostKind;
import io.postfleet.schemas.WindowPostTask;
import io.postfleet.worker.Fleet;
import io.postfleet.worker.cli.PostWorkerMain;
import io.postfleet.worker.config.WorkerConfig;
import io.postfleet.worker.consume.PostWorker;
import io.postfleet.worker.status.ResourceProbe;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Two window tasks are proven by a worker, a third is published with no worker running, and a poison record sits
 * in between. Replaying the topic proves the first two again with identical proofs, proves the third (nothing
 * recorded), reports the poison record and fails for it; replaying from after the poison record succeeds; after a
 * sector file changes, the replay says the proofs differ.
 */
class ReplayTest {

    @Test
    void aReplayedTopicReprovesEveryTaskAndComparesWithTheRecordedProofs() throws Exception {
        Fleet fleet = Fleet.get();
        Topics topics = fleet.topics("replay");
        Instant before = Instant.now().minusSeconds(1);
        WindowPostTask a = fleet.windowTask("w-1000-300-1-0", List.of(1L, 2L), Instant.now().plusSeconds(600));
        WindowPostTask b = fleet.windowTask("w-1000-300-1-1", List.of(3L, 4L), Instant.now().plusSeconds(600));
        WorkerConfig c = WorkerConfig.of(PostKind.WINDOW, fleet.bootstrap(), fleet.registry(), List.of(fleet.storage()))
                .withTopics(topics).withGroupId("g-replay").withWorkerId("replay-source").withCreateTopics(false);
        try (CpuHashBackend backend = new CpuHashBackend();
             PostWorker worker = new PostWorker(c, backend, new ResourceProbe(Optional.empty())).start()) {
            fleet.publish(topics.windowTasks(), a.getTaskId(), a);
            fleet.publishRaw(topics.windowTasks(), "junk".getBytes(), new byte[] {0, 0, 0, 0, 9, 1, 2});
            fleet.publish(topics.windowTasks(), b.getTaskId(), b);
            assertTrue(fleet.result(topics, a.getTaskId(), Duration.ofSeconds(60)).isPresent());
            assertTrue(fleet.result(topics, b.getTaskId(), Duration.ofSeconds(60)).isPresent());
        }
        Instant afterPoison = Instant.now();
        WindowPostTask unrecorded = fleet.windowTask("w-1000-300-1-2", List.of(1L, 3L), Instant.now().plusSeconds(600));
        fleet.publish(topics.windowTasks(), unrecorded.getTaskId(), unrecorded);

        // an unreadable record is a record lost to the fleet: the replay fails for it, and says so last
        String out = replay(fleet, topics, before, 1);
        assertTrue(out.contains("same         w-1000-300-1-0"), out);
        assertTrue(out.contains("same         w-1000-300-1-1"), out);
        assertTrue(out.contains("not_recorded w-1000-300-1-2"), out);
        assertTrue(out.contains("unreadable"), out);
        assertTrue(out.contains("replayed 4 tasks"), out);
        assertTrue(lastLine(out).startsWith("FAILED (exit 1): 1 record is unreadable"), out);

        String clean = replay(fleet, topics, afterPoison, 0);
        assertTrue(clean.contains("not_recorded w-1000-300-1-2"), clean);
        assertTrue(clean.contains("replayed 1 tasks"), clean);
        assertEquals("OK: every record was read and no replayed proof differs", lastLine(clean), clean);

        // a changed sector: its replica node changed on disk, so the replayed proof is no longer the recorded one
        Path sealed = fleet.storage().resolve("sealed/s-t01000-4");
        byte[] original = Files.readAllBytes(sealed);
        try {
            byte[] changed = original.clone();
            changed[0] ^= 1;
            Files.write(sealed, changed);
            String after = replay(fleet, topics, before, 1);
            assertTrue(after.contains("differs      w-1000-300-1-1"), after);
            assertTrue(after.contains("same         w-1000-300-1-0"), after);
            assertTrue(lastLine(after).contains("1 replayed proof differs"), after);
        } finally {
            Files.write(sealed, original);
        }
    }

    private static String lastLine(String out) {
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        return lines.get(lines.size() - 1);
    }

    private static String replay(Fleet fleet, Topics topics, Instant since, int expectedExit) {
        CommandLine cl = PostWorkerMain.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        String prefix = topics.windowTasks().substring(0, topics.windowTasks().indexOf(Topics.DEFAULT_WINDOW_TASKS));
        int code = cl.execute("replay", "--windowpost", "--since", since.toString(), "--bootstrap", fleet.bootstrap(),
                "--registry", fleet.registry(), "--storage", fleet.storage().toString(), "--hash", "java",
                "--topic-prefix", prefix);
        assertEquals(expectedExit, code, out.toString());
        return out.toString();
    }
}
