package io.postfleet.miner.lag;

import io.postfleet.schemas.PostKind;
import io.postfleet.schemas.WorkerState;
import io.postfleet.schemas.WorkerStatus;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Liveness by missed heartbeat intervals: late heartbeats keep a worker live; silence makes it gone, then dropped. */
class WorkerRosterTest {

    /** A clock the test moves. */
    static final class ManualClock extends Clock {
        long millis = 1_000_000;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    static WorkerStatus heartbeat(String id, long intervalMs, WorkerState state) {
        return WorkerStatus.newBuilder().setWorkerId(id).setKind(PostKind.WINDOW).setState(state).setHost("h")
                .setPid(1).setVersion("v").setStartedAt(Instant.EPOCH).setSentAt(Instant.EPOCH).setCpuCores(2)
                .setCpuLoad(0).setMemTotalBytes(1).setMemUsedBytes(1).setHeartbeatIntervalMs(intervalMs).build();
    }

    @Test
    void aLateHeartbeatIsNotALossButThreeMissedIntervalsAre() {
        ManualClock clock = new ManualClock();
        WorkerRoster roster = new WorkerRoster(Silence.intervals(3), clock);
        roster.record(heartbeat("w1", 5000, WorkerState.IDLE));
        // heartbeats that come up to almost two intervals late (a GC pause, a busy broker) never hide the worker
        for (int i = 0; i < 50; i++) {
            clock.millis += 9_900;
            assertEquals(List.of("w1"), roster.live(PostKind.WINDOW).stream().map(WorkerStatus::getWorkerId).toList());
            roster.record(heartbeat("w1", 5000, WorkerState.IDLE));
        }
        clock.millis += 15_000;
        assertEquals(WorkerRoster.Liveness.LIVE, roster.liveness(roster.get("w1").orElseThrow()));
        clock.millis += 1;
        assertEquals(WorkerRoster.Liveness.GONE, roster.liveness(roster.get("w1").orElseThrow()));
        assertTrue(roster.live(PostKind.WINDOW).isEmpty());
        assertEquals(1, roster.all().size(), "a gone worker is still shown");
        clock.millis += 15_000 * (WorkerRoster.DROP_FACTOR - 1) - 1; // silent exactly DROP_FACTOR limits
        assertEquals(1, roster.all().size());
        clock.millis += 1;
        assertTrue(roster.all().isEmpty(), "then dropped");
    }

    @Test
    void eachWorkerIsJudgedByItsOwnInterval() {
        ManualClock clock = new ManualClock();
        WorkerRoster roster = new WorkerRoster(Silence.intervals(3), clock);
        roster.record(heartbeat("fast", 300, WorkerState.IDLE));
        roster.record(heartbeat("slow", 10_000, WorkerState.PROVING));
        roster.record(heartbeat("old", 0, WorkerState.IDLE)); // announces no interval: assumed 5 s
        clock.millis += 1_000;
        assertEquals(List.of("old", "slow"), roster.live(PostKind.WINDOW).stream().map(WorkerStatus::getWorkerId)
                .sorted().toList());
        clock.millis += 14_500;
        assertEquals(List.of("slow"), roster.live(PostKind.WINDOW).stream().map(WorkerStatus::getWorkerId).toList());
    }

    @Test
    void aStoppingWorkerIsStoppedAtOnceAndAFixedSilenceStillWorks() {
        ManualClock clock = new ManualClock();
        WorkerRoster roster = new WorkerRoster(Duration.ofMillis(1500), clock);
        roster.record(heartbeat("w", 300, WorkerState.STOPPING));
        assertEquals(WorkerRoster.Liveness.STOPPED, roster.liveness(roster.get("w").orElseThrow()));
        roster.record(heartbeat("v", 300, WorkerState.IDLE));
        clock.millis += 1500;
        assertEquals(WorkerRoster.Liveness.LIVE, roster.liveness(roster.get("v").orElseThrow()));
        clock.millis += 1;
        assertEquals(WorkerRoster.Liveness.GONE, roster.liveness(roster.get("v").orElseThrow()));
    }

    @Test
    void silenceParsesIntervalsOrADuration() {
        assertEquals(Silence.intervals(3), Silence.parse("3x"));
        assertEquals(Silence.after(Duration.ofSeconds(15)), Silence.parse("15s"));
        assertEquals(4000, Silence.parse("4s").limitMillis(300));
        assertEquals(900, Silence.parse("3x").limitMillis(300));
        assertThrows(IllegalArgumentException.class, () -> Silence.parse("1x"));
        assertThrows(IllegalArgumentException.class, () -> Silence.parse("ax"));
        assertThrows(IllegalArgumentException.class, () -> Silence.parse("0s"));
    }
}
