package io.postfleet.miner.deadline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.postfleet.miner.chain.ChainSector;
import io.postfleet.miner.chain.DeadlineInfo;
import io.postfleet.miner.chain.DevnetChain;
import io.postfleet.miner.chain.DevnetSettings;
import io.postfleet.miner.chain.Partition;
import io.postfleet.miner.dispatch.TaskFactory;
import io.postfleet.miner.events.EventLog;
import io.postfleet.miner.events.EventType;
import io.postfleet.proofs.post.ApiVersion;
import io.postfleet.proofs.sector.SectorSize;
import org.junit.jupiter.api.Test;

class ProvingBookTest {

    private static final Instant GENESIS = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void thousandsOfSettledDeadlinesAndElectionsLeaveOnlyTheBoundedHistory() {
        List<ChainSector> sectors = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sectors.add(new ChainSector(i, new byte[32], false));
        }
        DevnetChain chain = new DevnetChain(new DevnetSettings(Duration.ofMillis(100), GENESIS, 1000, 2, 2, 3, 0, null),
                sectors, Clock.fixed(GENESIS, ZoneOffset.UTC));
        EventLog events = new EventLog(null);
        ProvingBook book = new ProvingBook(chain, events, 10, 20);
        TaskFactory factory = new TaskFactory(1000, SectorSize.KIB_2.label(), -1, -1, ApiVersion.WINDOW_DEFAULT.label());
        Partition partition = new Partition(0, 0, sectors.subList(0, 2));
        int deadlines = 5000;
        for (int n = 0; n < deadlines; n++) {
            long challenge = 100L + n;
            DeadlineInfo dl = new DeadlineInfo(0, n % DeadlineInfo.PERIOD_DEADLINES, challenge, challenge + 20,
                    challenge + 80);
            TaskRecord window = new TaskRecord(factory.window(dl, partition, new byte[32], GENESIS.plusSeconds(3600),
                    false), dl.index(), 0, partition.sectors(), partition.sectors());
            book.addDeadline(dl, List.of(window), false);
            TaskRecord winning = new TaskRecord(factory.winning(challenge, new byte[32], 4, 0, sectors.get(0),
                    GENESIS.plusSeconds(3600), false), -1, -1, List.of(sectors.get(0)), sectors);
            book.addWinning(winning);
            book.accept(window, "w", "sha", List.of(), GENESIS);
            book.accept(winning, "w", "sha", List.of(), GENESIS);
            book.settle(challenge + 20, GENESIS);
            assertTrue(book.size() <= 10 + 20 + 2, "the book holds " + book.size() + " tasks after " + (n + 1)
                    + " deadlines");
        }
        assertEquals(10, book.deadlines().size());
        assertEquals(20, book.winningTasks().size());
        assertEquals(100L + deadlines - 1, book.deadlines().get(9).info().challengeEpoch(), "the newest are kept");
        assertEquals(deadlines, events.history().stream().filter(e -> e.type() == EventType.SUBMITTED).count());
    }
}
