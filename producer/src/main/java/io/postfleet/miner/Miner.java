package io.postfleet.miner;

import io.postfleet.miner.chain.ChainSector;
import io.postfleet.miner.chain.ChainSource;
import io.postfleet.miner.chain.DeadlineInfo;
import io.postfleet.miner.chain.Partition;
import io.postfleet.miner.chain.WinningTicket;
import io.postfleet.miner.deadline.DeadlineRun;
import io.postfleet.miner.deadline.ProvingBook;
import io.postfleet.miner.deadline.TaskRecord;
import io.postfleet.miner.dispatch.PartitionChooser;
import io.postfleet.miner.dispatch.TaskFactory;
import io.postfleet.miner.dispatch.TaskPublisher;
import io.postfleet.miner.events.EventLog;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.fallback.FallbackController;
import io.postfleet.miner.gather.ResultGatherer;
import io.postfleet.miner.lag.GroupView;
import io.postfleet.miner.lag.LagMonitor;
import io.postfleet.schemas.PostKind;
import io.postfleet.schemas.WorkerState;
import io.postfleet.schemas.WorkerStatus;
import io.postfleet.proving.task.WindowTask;
import io.postfleet.proving.task.WinningTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The miner's PoSt loop. Every tick it looks at the chain (and nothing else: publishing is queued to the
 * {@link TaskPublisher}, so a broker or registry that is slow or gone never holds the loop back): at a deadline's challenge epoch it publishes one task per
 * partition, spread over distinct live workers; at each won election one winning task. Results come back through
 * {@link ResultGatherer} and are verified against the miner's own records; {@link FallbackController} proves locally
 * when no worker consumes; {@link ProvingBook#settle} submits at the deadline's open and declares misses at its close.
 */
public final class Miner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Miner.class);

    private final ChainSource chain;
    private final List<ChainSector> eligible;
    private final TaskFactory tasks;
    private final TaskPublisher publisher;
    private final String windowTopic;
    private final String winningTopic;
    private final LagMonitor lag;
    private final ProvingBook book;
    private final EventLog events;
    private final FallbackController fallback;
    private final Duration winningBudget;
    private final PartitionChooser chooser = new PartitionChooser();
    private final ScheduledExecutorService ticker;
    private long lastEpoch = -1;
    /** The epoch the last completed tick handled, for operators: the loop's pace. */
    private volatile long handledEpoch = -1;
    private volatile boolean followChain = true;

    public Miner(ChainSource chain, List<ChainSector> eligible, TaskFactory tasks, TaskPublisher publisher,
                 String windowTopic, String winningTopic, LagMonitor lag, ProvingBook book, EventLog events,
                 FallbackController fallback, Duration winningBudget) {
        this.chain = chain;
        this.eligible = List.copyOf(eligible);
        this.tasks = tasks;
        this.publisher = publisher;
        this.windowTopic = windowTopic;
        this.winningTopic = winningTopic;
        this.lag = lag;
        this.book = book;
        this.events = events;
        this.fallback = fallback;
        this.winningBudget = winningBudget;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "miner-tick");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts ticking every {@code period}. */
    public void start(Duration period) {
        ticker.scheduleWithFixedDelay(this::safeTick, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Ticks fallback and settlement only: no deadline or election is published on its own (operator dry runs). */
    public void startWithoutChain(Duration period) {
        followChain = false;
        start(period);
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.error("miner tick failed; continuing", e);
        }
    }

    /** One pass: new epochs, fallback decisions, settlements. Public for tests that drive time themselves. */
    public synchronized void tick() {
        long epoch = chain.currentEpoch();
        if (!followChain) {
            fallback.tick(Instant.now());
            book.settle(epoch, Instant.now());
            return;
        }
        if (lastEpoch < 0) {
            // started mid-period: deadlines already challenged but still open are proven now
            for (DeadlineInfo open : chain.openDeadlines(epoch)) {
                publishDeadline(open, false);
            }
            lastEpoch = epoch;
        }
        for (long e = lastEpoch + 1; e <= epoch; e++) {
            DeadlineInfo dl = chain.deadlineAt(e);
            if (dl.challengeEpoch() == e) {
                publishDeadline(dl, false);
            }
            if (e == epoch) { // an election older than the current epoch has no block left to win
                chain.election(e).ifPresent(this::publishWinning);
            }
        }
        lastEpoch = Math.max(lastEpoch, epoch);
        fallback.tick(Instant.now());
        book.settle(epoch, Instant.now());
        handledEpoch = epoch;
    }

    /** The chain epoch the last completed tick handled (-1 before the first). */
    public long handledEpoch() {
        return handledEpoch;
    }

    /** Publishes one task per partition of {@code dl}; a dry run proves and verifies without submitting. */
    public synchronized DeadlineRun publishDeadline(DeadlineInfo dl, boolean dryRun) {
        DeadlineRun run = recordDeadline(dl, dryRun);
        if (run != null) {
            publishOpen(run);
        }
        return run;
    }

    /**
     * Puts the tasks of {@code dl} in the book without publishing them (a restarted miner first reads back the
     * results already on the topic): null when the deadline is in the book or on chain already, or has no sectors.
     */
    public synchronized DeadlineRun recordDeadline(DeadlineInfo dl, boolean dryRun) {
        if (!dryRun && (book.hasDeadline(dl) || chain.submitted(dl))) {
            return null;
        }
        List<Partition> partitions = chain.partitions(dl.index());
        if (partitions.isEmpty()) {
            log.debug("deadline {} has no sectors", dl.index());
            return null;
        }
        byte[] randomness = chain.windowRandomness(dl.challengeEpoch());
        Instant close = chain.epochStart(dl.closeEpoch());
        List<TaskRecord> records = new ArrayList<>();
        for (Partition p : partitions) {
            WindowTask t = tasks.window(dl, p, randomness, close, dryRun);
            records.add(new TaskRecord(t, dl.index(), p.index(), p.sectors(), p.sectors()));
        }
        return book.addDeadline(dl, records, dryRun);
    }

    /**
     * Publishes the tasks of {@code run} that have no accepted proof, spread over distinct live workers.
     *
     * @return how many were published
     */
    public synchronized int publishOpen(DeadlineRun run) {
        List<TaskRecord> open = run.tasks().stream().filter(TaskRecord::isOpen).toList();
        if (open.isEmpty()) {
            return 0;
        }
        GroupView view = lag.view(PostKind.WINDOW);
        List<Integer> chosen = chooser.choose(view, open.size(), book.outstandingByPartition(PostKind.WINDOW));
        for (int i = 0; i < open.size(); i++) {
            send(windowTopic, open.get(i), chosen.get(i));
        }
        return open.size();
    }

    private void publishWinning(WinningTicket ticket) {
        publishWinning(ticket, false);
    }

    /** Publishes a winning task for {@code ticket}; when no idle winning worker is live the miner proves it at once. */
    public TaskRecord publishWinning(WinningTicket ticket, boolean dryRun) {
        List<ChainSector> sectors = ticket.eligible().isEmpty() ? eligible : ticket.eligible();
        int index = io.postfleet.proofs.post.ChallengeDeriver.winningSectorIndex(ticket.randomness(), tasks.proverId(),
                sectors.size());
        ChainSector sector = sectors.get(index);
        Instant due = Instant.now().plus(winningBudget);
        WinningTask t = tasks.winning(ticket.epoch(), ticket.randomness(), sectors.size(), index, sector, due, dryRun);
        TaskRecord record = new TaskRecord(t, -1, -1, List.of(sector), sectors);
        book.addWinning(record);
        GroupView view = lag.view(PostKind.WINNING);
        List<Integer> chosen = chooser.choose(view, 1, book.outstandingByPartition(PostKind.WINNING));
        send(winningTopic, record, chosen.get(0));
        fallback.winningPublished(record, view);
        return record;
    }

    /**
     * Publishes {@code record} again to a partition of a live idle worker other than {@code lostWorker} that is a
     * member of the kind's group (its partitions are not the lost worker's, which the broker hands on only after
     * the session time-out).
     *
     * @return the worker it went to, or null when there is none
     */
    public String reassign(TaskRecord record, String lostWorker) {
        GroupView view = lag.view(record.kind());
        Map<Integer, Integer> outstanding = book.outstandingByPartition(record.kind());
        for (WorkerStatus w : view.liveWorkers()) {
            java.util.Set<Integer> parts = view.partitionsByMember().get(w.getWorkerId());
            if (w.getWorkerId().equals(lostWorker) || w.getState() != WorkerState.IDLE || parts == null
                    || parts.isEmpty()) {
                continue;
            }
            int partition = parts.stream().min(java.util.Comparator.comparingInt((Integer p) ->
                    outstanding.getOrDefault(p, 0)).thenComparingInt(p -> p)).orElseThrow();
            send(record.kind() == PostKind.WINDOW ? windowTopic : winningTopic, record, partition);
            return w.getWorkerId();
        }
        return null;
    }

    private void send(String topic, TaskRecord record, Integer partition) {
        book.publishedTo(record, partition);
        publisher.publish(topic, record, partition);
        events.emit(EventType.PUBLISHED, record.taskId(), record.deadline(), record.partition(), null, null,
                Map.of("topic", topic, "topic_partition", partition == null ? -1 : partition));
    }

    public ProvingBook book() {
        return book;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
