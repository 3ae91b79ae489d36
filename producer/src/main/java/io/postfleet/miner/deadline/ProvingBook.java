package io.postfleet.miner.deadline;

import io.postfleet.miner.chain.ChainSource;
import io.postfleet.miner.chain.DeadlineInfo;
import io.postfleet.miner.chain.WindowSubmission;
import io.postfleet.miner.events.EventLog;
import io.postfleet.miner.events.EventType;
import io.postfleet.schemas.PostKind;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The tasks the miner published and the deadlines it is proving. Results are matched here by task id (so a task
 * proven twice is accepted once), and {@link #settle(long, Instant)} turns complete deadlines into submissions at
 * their open and incomplete ones into misses at their close. Settled work is kept for operators only as a bounded
 * history (by default the last two proving periods of deadlines and the last 1,000 winning tasks), so a miner that
 * runs for weeks does not grow.
 */
public final class ProvingBook {

    /** Settled deadlines kept for operators: two proving periods. */
    public static final int DEFAULT_DEADLINE_HISTORY = 2 * DeadlineInfo.PERIOD_DEADLINES;
    public static final int DEFAULT_WINNING_HISTORY = 1000;

    private final ChainSource chain;
    private final EventLog events;
    private final int deadlineHistory;
    private final int winningHistory;
    private volatile BiConsumer<TaskRecord, String> onSettled = (t, how) -> { };
    private final Map<String, TaskRecord> tasks = new ConcurrentHashMap<>();
    private final Map<String, DeadlineRun> deadlines = new LinkedHashMap<>();
    private final List<TaskRecord> winning = new ArrayList<>();

    public ProvingBook(ChainSource chain, EventLog events) {
        this(chain, events, DEFAULT_DEADLINE_HISTORY, DEFAULT_WINNING_HISTORY);
    }

    /**
     * @param deadlineHistory settled deadlines kept (the newest ones)
     * @param winningHistory  settled winning tasks kept (the newest ones)
     */
    public ProvingBook(ChainSource chain, EventLog events, int deadlineHistory, int winningHistory) {
        this.chain = chain;
        this.events = events;
        this.deadlineHistory = deadlineHistory;
        this.winningHistory = winningHistory;
    }

    /** Who is told when a task settles ({@code accepted} or {@code abandoned}): workers must not prove it again. */
    public void onSettled(BiConsumer<TaskRecord, String> listener) {
        this.onSettled = listener;
    }

    /** How many tasks the book holds now, open and settled. */
    public int size() {
        return tasks.size();
    }

    private static String deadlineKey(DeadlineInfo info, boolean dryRun) {
        return (dryRun ? "dry-" : "") + info.challengeEpoch() + "/" + info.index();
    }

    /** Whether the deadline has been published already (a restart in the middle of a deadline must not repeat it). */
    public synchronized boolean hasDeadline(DeadlineInfo info) {
        return deadlines.containsKey(deadlineKey(info, false));
    }

    public synchronized DeadlineRun addDeadline(DeadlineInfo info, List<TaskRecord> partitionTasks, boolean dryRun) {
        DeadlineRun run = new DeadlineRun(info, partitionTasks, dryRun);
        deadlines.put(deadlineKey(info, dryRun), run);
        partitionTasks.forEach(t -> tasks.put(t.taskId(), t));
        return run;
    }

    public synchronized void addWinning(TaskRecord task) {
        winning.add(task);
        tasks.put(task.taskId(), task);
    }

    public Optional<TaskRecord> task(String taskId) {
        return Optional.ofNullable(tasks.get(taskId));
    }

    public void publishedTo(TaskRecord task, Integer partition) {
        task.publishedTo(partition);
    }

    /** Open tasks of a kind: published, not accepted, not abandoned. */
    public List<TaskRecord> open(PostKind kind) {
        return tasks.values().stream().filter(t -> t.kind() == kind && t.isOpen()).toList();
    }

    /** How many open tasks wait on each task-topic partition of a kind. */
    public Map<Integer, Integer> outstandingByPartition(PostKind kind) {
        Map<Integer, Integer> load = new TreeMap<>();
        for (TaskRecord t : open(kind)) {
            if (t.topicPartition() != null && t.state() == TaskState.PENDING) {
                load.merge(t.topicPartition(), 1, Integer::sum);
            }
        }
        return load;
    }

    public synchronized List<DeadlineRun> deadlines() {
        return List.copyOf(deadlines.values());
    }

    public synchronized List<TaskRecord> winningTasks() {
        return List.copyOf(winning);
    }

    public Collection<TaskRecord> all() {
        return tasks.values();
    }

    public boolean takeLocal(TaskRecord t) {
        return t.takeLocal();
    }

    public void localFailed(TaskRecord t, String problem) {
        t.localFailed(problem);
    }

    public void refused(TaskRecord t, String problem) {
        t.refused(problem);
    }

    public boolean accept(TaskRecord t, String worker, String sha256, List<Long> skipped, Instant at) {
        boolean accepted = t.accept(worker, sha256, skipped, at);
        if (accepted) {
            onSettled.accept(t, "accepted");
        }
        return accepted;
    }

    public boolean started(TaskRecord t, String worker) {
        return t.started(worker);
    }

    /** Records that {@code worker}, which held {@code t}, went silent; true only the first time. */
    public boolean lost(TaskRecord t, String worker) {
        return t.lost(worker);
    }

    /**
     * Submits every deadline whose partitions are all accepted once it is open, declares missed every deadline that
     * closed incomplete, and every winning task whose block was due without a proof.
     */
    public void settle(long epoch, Instant now) {
        for (DeadlineRun run : deadlines()) {
            if (run.settled()) {
                continue;
            }
            DeadlineInfo info = run.info();
            if (run.complete() && (epoch >= info.openEpoch() || run.dryRun())) {
                if (!run.settle()) {
                    continue;
                }
                submit(run, epoch);
            } else if (!run.complete() && epoch >= info.closeEpoch() && run.settle()) {
                List<String> missing = new ArrayList<>();
                for (TaskRecord t : run.tasks()) {
                    if (t.state() != TaskState.ACCEPTED) {
                        if (t.abandon()) {
                            onSettled.accept(t, "abandoned");
                        }
                        missing.add("partition " + t.partition() + " (" + (t.lastProblem() == null ? "no valid result"
                                : t.lastProblem()) + ")");
                    }
                }
                events.emit(EventType.MISSED, null, info.index(), -1, null,
                        "deadline closed at epoch " + info.closeEpoch() + " without proofs for " + String.join(", ", missing));
            }
        }
        for (TaskRecord t : winningTasks()) {
            if (t.isOpen() && now.isAfter(t.dueAt()) && t.abandon()) {
                onSettled.accept(t, "abandoned");
                events.emit(EventType.MISSED, t.taskId(), -1, -1, null, "no valid winning proof by "
                        + t.dueAt() + (t.lastProblem() == null ? "" : ": " + t.lastProblem()));
            }
        }
        forgetOldest();
    }

    /** Drops settled deadlines and winning tasks beyond the history kept, oldest first, with their tasks. */
    private synchronized void forgetOldest() {
        int settled = (int) deadlines.values().stream().filter(DeadlineRun::settled).count();
        Iterator<DeadlineRun> runs = deadlines.values().iterator();
        while (settled > deadlineHistory && runs.hasNext()) {
            DeadlineRun run = runs.next();
            if (run.settled()) {
                run.tasks().forEach(t -> tasks.remove(t.taskId()));
                runs.remove();
                settled--;
            }
        }
        int closed = (int) winning.stream().filter(t -> !t.isOpen()).count();
        Iterator<TaskRecord> won = winning.iterator();
        while (closed > winningHistory && won.hasNext()) {
            TaskRecord t = won.next();
            if (!t.isOpen()) {
                tasks.remove(t.taskId());
                won.remove();
                closed--;
            }
        }
    }

    private void submit(DeadlineRun run, long epoch) {
        DeadlineInfo info = run.info();
        List<Integer> partitions = new ArrayList<>();
        Map<Integer, String> shas = new TreeMap<>();
        List<Long> faults = new ArrayList<>();
        for (TaskRecord t : run.tasks()) {
            partitions.add(t.partition());
            shas.put(t.partition(), t.proofSha256());
            faults.addAll(t.faults());
        }
        Duration late = Duration.ofMillis(Math.max(0, Instant.now().toEpochMilli() - chain.epochStart(info.openEpoch()).toEpochMilli()));
        if (!run.dryRun()) {
            try {
                chain.submitWindowPost(new WindowSubmission(info.index(), info.challengeEpoch(), epoch, partitions,
                        shas, faults));
            } catch (IllegalStateException refused) {
                // the chain has this deadline already (submitted before a restart): it is not submitted twice
                events.emit(EventType.DUPLICATE, null, info.index(), -1, null, "not submitted again: "
                        + refused.getMessage());
                return;
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("partitions", partitions.size());
        details.put("faulty_sectors", faults);
        details.put("epoch", epoch);
        details.put("dry_run", run.dryRun());
        details.put("after_open_ms", late.toMillis());
        events.emit(EventType.SUBMITTED, null, info.index(), -1, null,
                run.dryRun() ? "dry run verified, nothing submitted" : null, details);
    }
}
