package io.postfleet.miner;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import java.util.ArrayList;
import java.util.LinkedHashMap;

import io.postfleet.miner.OperatorViews.Deadline;
import io.postfleet.miner.OperatorViews.Deadlines;
import io.postfleet.miner.OperatorViews.DryRun;
import io.postfleet.miner.OperatorViews.DryRunTask;
import io.postfleet.miner.OperatorViews.Event;
import io.postfleet.miner.OperatorViews.Fallback;
import io.postfleet.miner.OperatorViews.Gpu;
import io.postfleet.miner.OperatorViews.Info;
import io.postfleet.miner.OperatorViews.Status;
import io.postfleet.miner.OperatorViews.Task;
import io.postfleet.miner.OperatorViews.Worker;
import io.postfleet.miner.OperatorViews.Workers;
import io.postfleet.miner.chain.DeadlineInfo;
import io.postfleet.miner.chain.DevnetChain;
import io.postfleet.miner.chain.Partition;
import io.postfleet.miner.deadline.DeadlineRun;
import io.postfleet.miner.deadline.ProvingBook;
import io.postfleet.miner.deadline.TaskRecord;
import io.postfleet.miner.deadline.TaskState;
import io.postfleet.miner.events.EventLog;
import io.postfleet.miner.events.MinerEvent;
import io.postfleet.miner.fallback.FallbackController;
import io.postfleet.miner.lag.GroupView;
import io.postfleet.miner.lag.LagMonitor;
import io.postfleet.miner.lag.WorkerRoster;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.schemas.GpuInfo;
import io.postfleet.schemas.PostKind;
import io.postfleet.schemas.WorkerStatus;

/**
 * What an operator asks of a running miner: the deadline table, the workers, the miner's summary, recent events,
 * dry-run proofs of a deadline or a winning election (through the fleet, or locally when no worker consumes;
 * verified, nothing submitted), the start-up self-check and the metrics, each as an {@link OperatorViews} value.
 * {@link OperatorApi} serves it over HTTP.
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
    private final WorkerRoster roster;
    private final LagMonitor lag;
    private final FallbackController fallback;
    private final EventLog events;

    /** How many recent events the status page shows. */
    static final int RECENT_EVENTS = 40;

    /** @param selfCheck null when local proving is off */
    OperatorService(MinerSettings settings, Manifest manifest, DevnetChain chain, ProvingBook book, Miner miner,
                    MinerMetrics metrics, String backend, SelfCheck selfCheck, WorkerRoster roster, LagMonitor lag,
                    FallbackController fallback, EventLog events) {
        this.roster = roster;
        this.lag = lag;
        this.fallback = fallback;
        this.events = events;
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
     */
    public DryRun dryRunWindow(int index, Duration timeout) {
        if (index < 0 || index >= DeadlineInfo.PERIOD_DEADLINES) {
            throw new IllegalArgumentException("deadline " + index + " does not exist: deadlines are 0..47");
        }
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
        String outcome = !run.settled() ? "not settled after " + timeout.toMillis() + " ms"
                : run.complete() ? "every partition proven and verified (nothing submitted)" : "INCOMPLETE";
        return new DryRun("window", index, epoch, outcome, dryRunTasks(run.tasks(), published));
    }

    /** A winning proof for the current epoch's ticket, won or not: proven, verified, nothing submitted. */
    public DryRun dryRunWinning(Duration timeout) {
        long epoch = chain.currentEpoch();
        Instant published = Instant.now();
        TaskRecord task = miner.publishWinning(chain.ticket(epoch), true);
        long until = System.nanoTime() + timeout.toNanos();
        while (task.isOpen() && System.nanoTime() < until) {
            sleep(20);
        }
        String outcome = String.format(Locale.ROOT, "budget %d ms: %s", settings.winningBudget().toMillis(),
                task.state() == TaskState.ACCEPTED ? "proven and verified"
                        : task.isOpen() ? "not settled after " + timeout.toMillis() + " ms" : "NOT PROVEN");
        return new DryRun("winning", -1, epoch, outcome, dryRunTasks(List.of(task), published));
    }

    private static List<DryRunTask> dryRunTasks(List<TaskRecord> tasks, Instant publishedAt) {
        return tasks.stream().map(t -> new DryRunTask(t.taskId(), t.state().name().toLowerCase(Locale.ROOT),
                t.acceptedWorker(), t.acceptedAt() == null ? -1 : Duration.between(publishedAt, t.acceptedAt()).toMillis(),
                t.faults(), t.lastProblem())).toList();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The deadline table: every deadline with sectors, its partitions and its last run in this proving period. */
    public Deadlines deadlines() {
        long epoch = chain.currentEpoch();
        DeadlineInfo current = chain.deadlineAt(epoch);
        Map<Integer, DeadlineRun> last = new HashMap<>();
        for (DeadlineRun run : book.deadlines()) {
            if (!run.dryRun()) {
                last.put(run.info().index(), run);
            }
        }
        List<Deadline> rows = new ArrayList<>();
        for (int i = 0; i < DeadlineInfo.PERIOD_DEADLINES; i++) {
            List<Partition> parts = chain.partitions(i);
            DeadlineRun run = last.get(i);
            if (parts.isEmpty() && run == null) {
                continue;
            }
            rows.add(deadline(i, i == current.index(), parts, run, current));
        }
        return new Deadlines(chain.minerId(), epoch, manifest.sectorSize().label(), backend, current.index(), rows);
    }

    private static Deadline deadline(int index, boolean isCurrent, List<Partition> parts, DeadlineRun run,
                                     DeadlineInfo current) {
        int sectors = parts.stream().mapToInt(p -> p.sectors().size()).sum();
        DeadlineInfo info = run != null ? run.info() : DeadlineInfo.of(current.periodStart(), index);
        if (run == null) {
            return new Deadline(index, isCurrent, parts.size(), sectors, info.challengeEpoch(), info.openEpoch(),
                    info.closeEpoch(), "none", 0, 0, List.of());
        }
        List<Task> tasks = run.tasks().stream().map(t -> new Task(t.taskId(), t.partition(),
                t.state().name().toLowerCase(Locale.ROOT), t.startedBy(), t.acceptedWorker(), t.faults().size(),
                t.lastProblem())).toList();
        String state = !run.settled() ? "proving" : run.complete() ? "submitted" : "missed";
        int proven = (int) run.tasks().stream().filter(t -> t.state() == TaskState.ACCEPTED).count();
        int faulty = run.tasks().stream().mapToInt(t -> t.faults().size()).sum();
        return new Deadline(index, isCurrent, parts.size(), sectors, info.challengeEpoch(), info.openEpoch(),
                info.closeEpoch(), state, proven, faulty, tasks);
    }

    /** Every worker in the miner's roster, live or not yet dropped, by id. */
    public Workers workers() {
        List<Worker> out = new ArrayList<>();
        for (WorkerRoster.Sighting s : roster.all()) {
            out.add(worker(s, roster.liveness(s).name().toLowerCase(Locale.ROOT), roster.silentMillis(s),
                    roster.limitMillis(s)));
        }
        return new Workers(out);
    }

    static Worker worker(WorkerRoster.Sighting s, String liveness, long silentMs, long goneAfterMs) {
        WorkerStatus w = s.status();
        long onTask = w.getCurrentTaskSince() == null ? -1
                : Math.max(0, w.getSentAt().toEpochMilli() - w.getCurrentTaskSince().toEpochMilli() + silentMs);
        List<Gpu> gpus = new ArrayList<>();
        for (GpuInfo g : w.getGpus()) {
            gpus.add(new Gpu(g.getName(), g.getSource(), g.getMemTotalBytes(), g.getMemUsedBytes(), g.getUtilization(),
                    g.getCores(), g.getUsed()));
        }
        return new Worker(w.getWorkerId(), w.getHost(), w.getKind().name().toLowerCase(Locale.ROOT), liveness,
                w.getState().name(), w.getCurrentTaskId(), onTask, w.getCpuCores(), w.getHostCoresBusy(),
                w.getProcessCoresBusy(), w.getMemTotalBytes(), w.getMemUsedBytes(), w.getProcessRssBytes(),
                w.getMemTotalBytes() + w.getSwapTotalBytes(), w.getMemUsedBytes() + w.getSwapUsedBytes(),
                w.getProcessVmemBytes(), gpus, w.getHashBackend(), w.getTasksDone(), silentMs,
                w.getHeartbeatIntervalMs(), goneAfterMs, w.getVersion(), w.getPid());
    }

    /** The miner's summary: chain position, workers by kind, the current deadline, who proves each kind. */
    public Info info() {
        long epoch = chain.currentEpoch();
        DeadlineInfo current = chain.deadlineAt(epoch);
        DeadlineRun run = null;
        for (DeadlineRun r : book.deadlines()) {
            if (!r.dryRun() && r.info().equals(current)) {
                run = r;
            }
        }
        Deadline dl = deadline(current.index(), true, chain.partitions(current.index()), run, current);
        Map<String, Integer> workers = new LinkedHashMap<>();
        workers.put("WdPoSt", roster.live(PostKind.WINDOW).size());
        workers.put("WinPoSt", roster.live(PostKind.WINNING).size());
        List<Fallback> fb = new ArrayList<>();
        for (PostKind kind : PostKind.values()) {
            GroupView view = lag.view(kind);
            boolean local = fallback.isActive(kind);
            String note = local ? "no live " + label(kind) + " worker consumes: the miner proves"
                    : view.hasLiveConsumer() ? view.liveWorkers().size() + " live worker(s) consume"
                    : fallback.canProveLocally() ? "no live worker; the miner proves when a task is due"
                    : "no live worker and local proving is off (--no-local-proving)";
            fb.add(new Fallback(label(kind), local ? "miner" : "fleet", view.liveWorkers().size(), view.lag(), note));
        }
        long won = 0;
        long missed = 0;
        for (TaskRecord t : book.winningTasks()) {
            if (t.dryRun()) {
                continue;
            }
            if (t.state() == TaskState.ACCEPTED) {
                won++;
            } else if (t.state() == TaskState.ABANDONED) {
                missed++;
            }
        }
        return new Info(chain.minerId(), epoch, settings.epoch().toMillis(), manifest.sectorSize().label(),
                manifest.sectors().size(), backend, workers, dl, Math.max(0, current.closeEpoch() - epoch), fb, won,
                missed);
    }

    private static String label(PostKind kind) {
        return kind == PostKind.WINDOW ? "window" : "winning";
    }

    /** The last {@code n} events, oldest first. */
    public List<Event> recentEvents(int n) {
        return events.recent(n).stream()
                .map(e -> new Event(e.ts().toString(), e.type().wireName(), e.taskId(),
                        e.deadline() < 0 ? null : e.deadline(), e.partition() < 0 ? null : e.partition(), e.worker(),
                        e.reason())).toList();
    }

    /** What the status page shows. */
    public Status status() {
        return new Status(info(), deadlines(), workers(), recentEvents(RECENT_EVENTS));
    }
}
