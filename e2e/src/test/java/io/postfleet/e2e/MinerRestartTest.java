package io.postfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.postfleet.miner.MinerApp;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.events.MinerEvent;
import io.postfleet.schemas.PostKind;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.postfleet.e2e.MinerFleet.await;
import static io.postfleet.e2e.MinerFleet.deadlineSubmitted;
import static io.postfleet.e2e.MinerFleet.events;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A miner stopped mid-deadline and started again over the same chain log: it reads back the results already on the
 * topic instead of starting over, publishes only what is missing, and never submits a deadline twice. (The chaos run
 * does the same with a SIGKILLed miner process.)
 */
class MinerRestartTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRestartedMinerReadsBackWhatWasAcceptedAndProvesOnlyTheRest() throws Exception {
        try (MinerFleet fleet = new MinerFleet("restart", 8)) {
            fleet.worker(PostKind.WINDOW, "window-fast", Duration.ofMillis(200));
            fleet.worker(PostKind.WINDOW, "window-slow", Duration.ofSeconds(5));
            MinerFleet.Settings s = fleet.settings();
            s.epoch = Duration.ofMillis(200); // deadline 0: challenged 2 s after start, open at 6 s, closed at 18 s
            s.chainLog = Files.createTempFile("chain-", ".jsonl");
            MinerApp first = fleet.miner(s);
            FleetDeadlineTest.awaitLiveWorkers(first, 2);
            first.start();
            await(first, Duration.ofSeconds(30), "a partition of deadline 0 accepted",
                    e -> e.type() == EventType.ACCEPTED && e.deadline() == 0);
            Set<String> acceptedBefore = events(first, EventType.ACCEPTED).stream().map(MinerEvent::taskId)
                    .collect(Collectors.toSet());
            first.close(); // its book is gone; the results topic and the chain log are what is left

            MinerApp again = fleet.miner(s);
            again.start();
            MinerEvent resumed = await(again, Duration.ofSeconds(10), "resumed deadline 0",
                    e -> e.type() == EventType.RESUMED && e.deadline() == 0);
            int readBack = (Integer) resumed.details().get("read_back");
            int published = (Integer) resumed.details().get("published");
            assertTrue(readBack >= acceptedBefore.size(), resumed.reason());
            assertTrue(published >= 1, "the slow worker's partitions were not proven yet: " + resumed.reason());
            assertEquals(4, readBack + published, resumed.reason());
            assertEquals(Boolean.TRUE, resumed.details().get("complete"), resumed.reason());

            Set<String> readBackTasks = events(again, EventType.ACCEPTED).stream().map(MinerEvent::taskId)
                    .collect(Collectors.toSet());
            assertTrue(readBackTasks.containsAll(acceptedBefore), "every proof accepted before the restart is "
                    + "accepted again from the topic: " + acceptedBefore + " vs " + readBackTasks);
            Set<String> publishedAgain = events(again, EventType.PUBLISHED).stream().map(MinerEvent::taskId)
                    .collect(Collectors.toSet());
            assertEquals(published, publishedAgain.size());
            for (String task : acceptedBefore) {
                assertTrue(!publishedAgain.contains(task), task + " was proven before the restart and is not "
                        + "published again");
            }

            await(again, Duration.ofSeconds(30), "deadline 0 submitted", deadlineSubmitted(0));
            assertEquals(1, submissions(s.chainLog, 0), "deadline 0 is on chain once");
            assertTrue(events(again, EventType.MISSED).isEmpty(), events(again, EventType.MISSED).toString());
        }
    }

    @Test
    void aDeadlineOnChainBeforeTheRestartIsNotProvenOrSubmittedAgain() throws Exception {
        try (MinerFleet fleet = new MinerFleet("restart-submitted", 8)) {
            fleet.worker(PostKind.WINDOW, "window-1", Duration.ofMillis(100));
            MinerFleet.Settings s = fleet.settings();
            s.epoch = Duration.ofMillis(200);
            s.chainLog = Files.createTempFile("chain-", ".jsonl");
            MinerApp first = fleet.miner(s);
            FleetDeadlineTest.awaitLiveWorkers(first, 1);
            first.start();
            await(first, Duration.ofSeconds(30), "deadline 0 submitted", deadlineSubmitted(0));
            long closeEpoch = first.book().deadlines().get(0).info().closeEpoch();
            first.close();

            MinerApp again = fleet.miner(s);
            again.start();
            assertTrue(again.chain().currentEpoch() < closeEpoch, "started again while deadline 0 is open");
            MinerEvent resumed = await(again, Duration.ofSeconds(10), "resumed deadline 0",
                    e -> e.type() == EventType.RESUMED && e.deadline() == 0);
            assertTrue(resumed.reason().endsWith("deadline 0 is on chain already and is not submitted again"),
                    resumed.reason());
            // past deadline 0's close: nothing of it was published, submitted or missed by the second run
            await(again, Duration.ofSeconds(30), "the miner past deadline 0's close",
                    e -> again.miner().handledEpoch() >= closeEpoch);
            assertTrue(events(again, EventType.PUBLISHED).stream().noneMatch(e -> e.deadline() == 0));
            assertTrue(events(again, EventType.MISSED).isEmpty(), events(again, EventType.MISSED).toString());
            assertTrue(events(again, EventType.SUBMITTED).stream().noneMatch(e -> e.deadline() == 0));
            assertEquals(1, submissions(s.chainLog, 0), "deadline 0 is on chain once");
        }
    }

    /** How many submissions of deadline {@code index} the chain log holds. */
    private static long submissions(java.nio.file.Path chainLog, int index) throws Exception {
        List<String> lines = Files.readAllLines(chainLog);
        long n = 0;
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            if (!node.has("genesis") && node.get("deadline").asInt() == index) {
                n++;
            }
        }
        return n;
    }
}
