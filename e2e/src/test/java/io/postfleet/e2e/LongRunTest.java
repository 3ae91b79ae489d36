package io.postfleet.e2e;

import io.postfleet.miner.MinerApp;
import io.postfleet.miner.chain.DevnetChain;
import io.postfleet.miner.deadline.ProvingBook;
import io.postfleet.miner.events.EventLog;
import io.postfleet.miner.events.EventType;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A miner that runs for weeks: its devnet chain on a clock that runs 40 times faster than the wall clock, so
 * proving periods go by every 7 s, each with its deadlines proven (locally: no worker) and about sixty elections
 * won. After a warm-up, the live heap after a full GC, the book, the kept events and the kept submissions must stay
 * within fixed bounds while hundreds of deadlines and thousands of epochs go by; it prints the heap's change per
 * hour of devnet time.
 */
class LongRunTest {

    /** A clock that starts at the wall clock's now and runs {@code factor} times faster. */
    static final class FastClock extends Clock {
        private final long start = System.currentTimeMillis();
        private final long startNanos = System.nanoTime();
        private final int factor;

        FastClock(int factor) {
            this.factor = factor;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(start + (System.nanoTime() - startNanos) / 1_000_000 * factor);
        }
    }

    static final int FACTOR = 40;
    static final long WARM_UP_DEADLINES = 24;
    static final long DEADLINES = 120;

    @Test
    void heapBookAndHistoryStayFlatOverHundredsOfDeadlines() throws Exception {
        try (MinerFleet fleet = new MinerFleet("long-run", 16)) {
            MinerFleet.Settings s = fleet.settings();
            s.epoch = Duration.ofMillis(100);
            s.partitionsPerDeadline = 1; // 8 deadlines of a proving period hold a partition
            s.winProbability = 0.02;
            s.forceLocalBefore = Duration.ofSeconds(20); // in devnet time: 200 epochs
            FastClock clock = new FastClock(FACTOR);
            MinerApp app = fleet.miner(s, clock);
            AtomicLong submitted = new AtomicLong();
            AtomicLong winning = new AtomicLong();
            AtomicLong missed = new AtomicLong();
            app.events().onEvent(e -> {
                if (e.type() == EventType.SUBMITTED) {
                    (e.taskId() == null ? submitted : winning).incrementAndGet();
                } else if (e.type() == EventType.MISSED) {
                    missed.incrementAndGet();
                }
            });
            app.start();

            await(submitted, WARM_UP_DEADLINES, Duration.ofMinutes(2));
            long epochAtStart = app.chain().currentEpoch();
            long heapAtStart = liveHeap();
            int bookAtStart = app.book().size();
            await(submitted, WARM_UP_DEADLINES + DEADLINES, Duration.ofMinutes(5));
            long epochs = app.chain().currentEpoch() - epochAtStart;
            long heapAtEnd = liveHeap();
            int book = app.book().size();

            double devnetHours = epochs * s.epoch.toMillis() / 3_600_000.0;
            double perHour = (heapAtEnd - heapAtStart) / (1024.0 * 1024.0) / devnetHours;
            System.out.printf(Locale.ROOT, "long run: %d deadlines and %d winning proofs submitted, %d missed, over %d "
                            + "epochs (%.2f h of devnet time at %d ms epochs); live heap %.1f -> %.1f MiB (%+.1f MiB per "
                            + "devnet hour); book %d -> %d tasks; events kept %d; submissions kept %d%n",
                    submitted.get(), winning.get(), missed.get(), epochs, devnetHours, s.epoch.toMillis(),
                    heapAtStart / 1048576.0, heapAtEnd / 1048576.0, perHour, bookAtStart, book,
                    app.events().history().size(), app.chain().submissions().size());
            assertEquals(0, missed.get(), "no deadline or block missed while proving locally");
            assertTrue(winning.get() > 100, "elections were won and proven: " + winning.get());
            // the book keeps two proving periods of deadlines and the last 1000 winning tasks
            int bookBound = ProvingBook.DEFAULT_DEADLINE_HISTORY * s.partitionsPerDeadline
                    + ProvingBook.DEFAULT_WINNING_HISTORY + 64;
            assertTrue(book <= bookBound, "book " + book + " tasks, bound " + bookBound);
            assertTrue(app.events().history().size() <= EventLog.HISTORY);
            assertTrue(app.chain().submissions().size() <= DevnetChain.SUBMISSIONS_KEPT);
            assertTrue(heapAtEnd - heapAtStart < 48L << 20, "the live heap grew "
                    + (heapAtEnd - heapAtStart) / 1048576 + " MiB over " + DEADLINES + " deadlines");
        }
    }

    private static void await(AtomicLong counter, long n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (counter.get() < n) {
            if (System.nanoTime() > end) {
                throw new AssertionError("only " + counter.get() + " of " + n + " deadlines submitted within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** Heap in use after full collections, settled. */
    private static long liveHeap() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
