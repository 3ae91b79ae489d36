package io.postfleet.miner;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.postfleet.miner.chain.DeadlineInfo;
import io.postfleet.miner.chain.DevnetChain;
import io.postfleet.miner.chain.Partition;
import io.postfleet.miner.deadline.DeadlineRun;
import io.postfleet.miner.deadline.ProvingBook;
import io.postfleet.miner.deadline.TaskRecord;
import io.postfleet.miner.deadline.TaskState;
import io.postfleet.proofs.sector.Manifest;

/**
 * What an operator asks of a running miner: the deadline table, dry-run proofs of a deadline or a winning
 * election (through the fleet, or locally when no worker consumes; verified, nothing submitted), the start-up
 * self-check and the metrics. {@link OperatorApi} serves it over HTTP.
 */
public final class OperatorService {

    private final MinerSettings settings;
    private final Manifest manifest;
    private final DevnetChain chain;
    private final ProvingBook book;
    private final Miner miner;
    private final MinerMetrics metrics;
    private final String backend;
    private final SelfCheck selfCheck;

    /** @param selfCheck null when local proving is off */
    OperatorService(MinerSettings settings, Manifest manifest, DevnetChain chain, ProvingBook book, Miner miner,
                    MinerMetrics metrics, String backend, SelfCheck selfCheck) {
        this.settings = settings;
        this.manifest = manifest;
        this.chain = chain;
        this.book = book;
        this.miner = miner;
        this.metrics = metrics;
        this.backend = backend;
        this.selfCheck = selfCheck;
    }

    /**
     * Proves and verifies one winning proof locally (see {@link SelfCheck}).
     *
     * @return a line saying what was checked, or why local proving will not work
     */
    public String selfCheck() {
        return selfCheck == null ? "self-check skipped: local proving is off (--no-local-proving)" : selfCheck.run();
    }

    /** The Prometheus text of the miner's meters. */
    public String scrapeMetrics() {
        return metrics.scrape();
    }

    /**
     * Proves deadline {@code index}'s partitions now with the current epoch's randomness, through the fleet (or
     * locally when no worker consumes), verifies them and submits nothing. Blocks until every partition settled or
     * {@code timeout} passed.
     *
     * @return one line per partition: task, state, worker, time after publishing, faults
     */
    public String dryRunWindow(int index, Duration timeout) {
        if (chain.partitions(index).isEmpty()) {
            throw new IllegalArgumentException("deadline " + index + " has no sectors; `post-miner proving deadlines` "
                    + "lists the deadlines that have");
        }
        long epoch = chain.currentEpoch();
        DeadlineInfo now = chain.deadlineAt(epoch);
        DeadlineInfo dry = new DeadlineInfo(now.periodStart(), index, epoch, epoch + DeadlineInfo.CHALLENGE_LOOKBACK,
                epoch + DeadlineInfo.CHALLENGE_LOOKBACK + DeadlineInfo.CHALLENGE_WINDOW);
        Instant published = Instant.now();
        DeadlineRun run = miner.publishDeadline(dry, true);
        long until = System.nanoTime() + timeout.toNanos();
        while (!run.settled() && System.nanoTime() < until) {
            sleep(50);
        }
        String head = String.format("dry run of deadline %d at epoch %d: %s%n", index, epoch,
                !run.settled() ? "not settled after " + timeout.toMillis() + " ms"
                        : run.complete() ? "every partition proven and verified (nothing submitted)"
                        : "INCOMPLETE");
        return head + describeTasks(run.tasks(), published);
    }

    /** A winning proof for the current epoch's ticket, won or not: proven, verified, nothing submitted. */
    public String dryRunWinning(Duration timeout) {
        long epoch = chain.currentEpoch();
        Instant published = Instant.now();
        TaskRecord task = miner.publishWinning(chain.ticket(epoch), true);
        long until = System.nanoTime() + timeout.toNanos();
        while (task.isOpen() && System.nanoTime() < until) {
            sleep(20);
        }
        return String.format("dry run of a winning proof at epoch %d (budget %d ms): %s%n", epoch,
                settings.winningBudget().toMillis(), task.state() == TaskState.ACCEPTED ? "proven and verified"
                        : task.isOpen() ? "not settled after " + timeout.toMillis() + " ms" : "NOT PROVEN")
                + describeTasks(List.of(task), published);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The deadline table: every deadline with sectors, its partitions and its last run. */
    public String deadlines() {
        long epoch = chain.currentEpoch();
        DeadlineInfo current = chain.deadlineAt(epoch);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "miner t0%d, epoch %d, %s sectors, hash backend %s%n",
                chain.minerId(), epoch, manifest.sectorSize().label(), backend));
        sb.append(String.format(Locale.ROOT, "current deadline %d: challenge %d, open %d, close %d%n%n",
                current.index(), current.challengeEpoch(), current.openEpoch(), current.closeEpoch()));
        sb.append(String.format(Locale.ROOT, "%-8s %-10s %-10s %-7s %-40s%n", "DEADLINE", "PARTITIONS", "SECTORS",
                "OPEN", "LAST RUN"));
        Map<Integer, DeadlineRun> last = new HashMap<>();
        for (DeadlineRun run : book.deadlines()) {
            if (!run.dryRun()) {
                last.put(run.info().index(), run);
            }
        }
        for (int i = 0; i < DeadlineInfo.PERIOD_DEADLINES; i++) {
            List<Partition> parts = chain.partitions(i);
            DeadlineRun run = last.get(i);
            if (parts.isEmpty() && run == null) {
                continue;
            }
            int sectors = parts.stream().mapToInt(p -> p.sectors().size()).sum();
            DeadlineInfo info = DeadlineInfo.of(current.periodStart(), i);
            String label = i + (i == current.index() ? " *" : "");
            sb.append(String.format(Locale.ROOT, "%-8s %-10d %-10d %-7d %s%n", label, parts.size(),
                    sectors, info.openEpoch(), run == null ? "-" : describe(run)));
        }
        sb.append("(* the current deadline)\n");
        return sb.toString();
    }

    private static String describe(DeadlineRun run) {
        long accepted = run.tasks().stream().filter(t -> t.state() == TaskState.ACCEPTED).count();
        String state = !run.settled() ? "proving" : run.complete() ? "submitted" : "MISSED";
        return String.format(Locale.ROOT, "challenge %d: %s, %d/%d partitions proven, %d faulty sectors",
                run.info().challengeEpoch(), state, accepted, run.tasks().size(),
                run.tasks().stream().mapToInt(t -> t.faults().size()).sum());
    }

    /** One line per task of a settled dry run. */
    static String describeTasks(List<TaskRecord> tasks, Instant publishedAt) {
        StringBuilder sb = new StringBuilder();
        for (TaskRecord t : tasks) {
            sb.append(String.format(Locale.ROOT, "%-34s %-9s %-20s %s%n", t.taskId(),
                    t.state().name().toLowerCase(Locale.ROOT),
                    t.acceptedWorker() == null ? "-" : t.acceptedWorker(),
                    t.acceptedAt() == null ? (t.lastProblem() == null ? "" : t.lastProblem())
                            : Duration.between(publishedAt, t.acceptedAt()).toMillis() + " ms after publishing"
                            + (t.faults().isEmpty() ? "" : ", faulty sectors " + t.faults())));
        }
        return sb.toString();
    }
}
