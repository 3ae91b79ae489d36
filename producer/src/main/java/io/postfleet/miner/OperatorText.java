package io.postfleet.miner;

import java.util.Locale;
import java.util.Map;

import io.postfleet.miner.OperatorViews.Deadline;
import io.postfleet.miner.OperatorViews.Deadlines;
import io.postfleet.miner.OperatorViews.DryRun;
import io.postfleet.miner.OperatorViews.DryRunTask;
import io.postfleet.miner.OperatorViews.Fallback;
import io.postfleet.miner.OperatorViews.Gpu;
import io.postfleet.miner.OperatorViews.Info;
import io.postfleet.miner.OperatorViews.Worker;
import io.postfleet.miner.OperatorViews.Workers;

/** The text the operator commands print for each {@link OperatorViews} value. */
public final class OperatorText {

    /** Width of a usage bar between its brackets, as {@code lotus-miner proving workers} draws them. */
    static final int BAR = 40;
    private static final double GIB = 1L << 30;

    private OperatorText() {
    }

    /** The deadline table. */
    public static String deadlines(Deadlines d) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "miner t0%d, epoch %d, %s sectors, hash backend %s%n", d.minerId(),
                d.epoch(), d.sectorSize(), d.hashBackend()));
        Deadline current = d.deadlines().stream().filter(Deadline::current).findFirst().orElse(null);
        if (current != null) {
            sb.append(String.format(Locale.ROOT, "current deadline %d: challenge %d, open %d, close %d%n",
                    current.index(), current.challengeEpoch(), current.openEpoch(), current.closeEpoch()));
        } else {
            sb.append(String.format(Locale.ROOT, "current deadline %d (no sectors)%n", d.currentDeadline()));
        }
        sb.append(String.format(Locale.ROOT, "%n%-8s %-10s %-10s %-7s %-40s%n", "DEADLINE", "PARTITIONS", "SECTORS",
                "OPEN", "LAST RUN"));
        for (Deadline row : d.deadlines()) {
            String label = row.index() + (row.current() ? " *" : "");
            sb.append(String.format(Locale.ROOT, "%-8s %-10d %-10d %-7d %s%n", label, row.partitions(), row.sectors(),
                    row.openEpoch(), lastRun(row)));
        }
        sb.append("(* the current deadline)\n");
        return sb.toString();
    }

    private static String lastRun(Deadline row) {
        if (row.state().equals("none")) {
            return "-";
        }
        String state = row.state().equals("missed") ? "MISSED" : row.state();
        return String.format(Locale.ROOT, "challenge %d: %s, %d/%d partitions proven, %d faulty sectors",
                row.challengeEpoch(), state, row.partitionsProven(), row.tasks().size(), row.faultySectors());
    }

    /** Every worker as a block of lines, as {@code lotus-miner proving workers} prints them. */
    public static String workers(Workers ws, String topic) {
        if (ws.workers().isEmpty()) {
            return "(no worker has sent a heartbeat on " + topic + " since the miner started)\n";
        }
        StringBuilder sb = new StringBuilder();
        for (Worker w : ws.workers()) {
            sb.append(String.format(Locale.ROOT, "Worker %s, host %s%n", w.id(), w.host()));
            String kind = w.kind().equals("window") ? "WdPoSt" : "WinPoSt";
            String seen = String.format(Locale.ROOT, "last heartbeat %s ago (every %s)", seconds(w.silentMs()),
                    w.heartbeatIntervalMs() > 0 ? seconds(w.heartbeatIntervalMs()) : "?");
            switch (w.liveness()) {
                case "gone" -> sb.append(String.format(Locale.ROOT, "        GONE: no heartbeat for %s (gone after %s);"
                        + " dropped after %s%n", seconds(w.silentMs()), seconds(w.goneAfterMs()),
                        seconds(w.goneAfterMs() * io.postfleet.miner.lag.WorkerRoster.DROP_FACTOR)));
                case "stopped" -> sb.append(String.format(Locale.ROOT, "        STOPPED (it said so), %s%n", seen));
                default -> { }
            }
            String task = w.task() == null ? "idle"
                    : w.task() + " for " + (w.onTaskMs() < 0 ? "?" : seconds(w.onTaskMs()));
            sb.append(String.format(Locale.ROOT, "        TASK: %s, %s%n", kind, task));
            double busy = w.hostCoresBusy() < 0 ? 0 : w.hostCoresBusy();
            sb.append(String.format(Locale.ROOT, "        CPU:  %s %.1f/%d core(s) in use (this worker %s)%n",
                    bar(busy / Math.max(1, w.cpuCores())), busy, w.cpuCores(),
                    w.processCoresBusy() < 0 ? "?" : String.format(Locale.ROOT, "%.1f", w.processCoresBusy())));
            sb.append(memory("RAM: ", w.memUsedBytes(), w.memTotalBytes(), w.processRssBytes()));
            sb.append(memory("VMEM:", w.vmemUsedBytes(), w.vmemTotalBytes(), w.processVmemBytes()));
            if (w.gpus().isEmpty()) {
                sb.append("        GPU:  none found (no NVIDIA driver, no OpenCL device)\n");
            }
            for (Gpu g : w.gpus()) {
                boolean measured = g.source().equals("nvml") && g.memTotalBytes() > 0;
                String vram = measured ? String.format(Locale.ROOT, ", %s/%s VRAM", gib(g.memUsedBytes()),
                        gib(g.memTotalBytes())) : g.memTotalBytes() > 0 ? ", " + gib(g.memTotalBytes()) + " memory" : "";
                sb.append(String.format(Locale.ROOT, "        GPU:  %s %s%s, %s%s%s [%s]%n",
                        bar(measured ? g.memUsedBytes() / (double) g.memTotalBytes() : 0), g.name(),
                        g.cores() > 0 ? " (" + g.cores() + " cores)" : "", g.used() ? "used" : "not used",
                        g.utilization() >= 0 ? ", " + g.utilization() + "% busy" : "", vram, g.source()));
            }
            sb.append(String.format(Locale.ROOT, "        %s, backend %s, %d tasks done, pid %d, %s%n%n",
                    w.state(), w.hashBackend(), w.tasksDone(), w.pid(), seen));
        }
        return sb.toString();
    }

    private static String memory(String label, long used, long total, long own) {
        double f = total > 0 ? used / (double) total : 0;
        return String.format(Locale.ROOT, "        %s %s %d%% %s/%s host, this worker %s%n", label, bar(f),
                Math.round(f * 100), gib(used), gib(total), own > 0 ? gib(own) : "?");
    }

    /** {@code post-miner info}. */
    public static String info(Info i) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Miner: t0%d (%s sectors: %d, hash backend %s)%n", i.minerId(),
                i.sectorSize(), i.sectors(), i.hashBackend()));
        sb.append(String.format(Locale.ROOT, "Chain: epoch %d (devnet, %s epochs)%n", i.epoch(), seconds(i.epochMs())));
        StringBuilder workers = new StringBuilder();
        for (Map.Entry<String, Integer> e : i.workers().entrySet()) {
            workers.append(workers.length() == 0 ? "" : ", ").append(e.getKey()).append(": ").append(e.getValue());
        }
        sb.append("Workers: ").append(workers).append('\n');
        Deadline d = i.currentDeadline();
        sb.append(String.format(Locale.ROOT, "Deadline: %d of 48, challenge %d, open %d, close %d (%d epochs left): "
                        + "%d partitions, %s%n", d.index(), d.challengeEpoch(), d.openEpoch(), d.closeEpoch(),
                i.epochsLeft(), d.partitions(), d.state().equals("none") ? "not published yet"
                        : d.state() + ", " + d.partitionsProven() + "/" + d.tasks().size() + " proven"));
        for (Fallback f : i.fallback()) {
            sb.append(String.format(Locale.ROOT, "Proving %-8s %s (%s, lag %d)%n", f.kind() + ":",
                    f.prover().equals("miner") ? "LOCAL FALLBACK" : "fleet", f.note(), f.lag()));
        }
        sb.append(String.format(Locale.ROOT, "Winning proofs: %d in time, %d missed (last 1000 elections)%n",
                i.winningProofs(), i.winningMissed()));
        return sb.toString();
    }

    /** A dry run's outcome, one line per task. */
    public static String dryRun(DryRun r) {
        StringBuilder sb = new StringBuilder();
        if (r.kind().equals("window")) {
            sb.append(String.format(Locale.ROOT, "dry run of deadline %d at epoch %d: %s%n", r.deadline(), r.epoch(),
                    r.outcome()));
        } else {
            sb.append(String.format(Locale.ROOT, "dry run of a winning proof at epoch %d (%s)%n", r.epoch(),
                    r.outcome()));
        }
        for (DryRunTask t : r.tasks()) {
            sb.append(String.format(Locale.ROOT, "%-34s %-9s %-20s %s%n", t.taskId(), t.state(),
                    t.worker() == null ? "-" : t.worker(),
                    t.afterPublishMs() < 0 ? (t.problem() == null ? "" : t.problem())
                            : t.afterPublishMs() + " ms after publishing"
                            + (t.faults().isEmpty() ? "" : ", faulty sectors " + t.faults())));
        }
        return sb.toString();
    }

    /** {@code [|||||     ]}: {@code fraction} of {@link #BAR} filled. */
    static String bar(double fraction) {
        int n = (int) Math.round(Math.max(0, Math.min(1, fraction)) * BAR);
        return "[" + "|".repeat(n) + " ".repeat(BAR - n) + "]";
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / GIB);
    }

    static String seconds(long ms) {
        return ms < 10_000 ? String.format(Locale.ROOT, "%.1fs", ms / 1000.0) : (ms / 1000) + "s";
    }
}
