package io.postfleet.miner.deadline;

import io.postfleet.miner.chain.DeadlineInfo;

import java.util.List;

/** One deadline's proving in one proving period: its tasks (one per partition) and whether it was settled. */
public final class DeadlineRun {

    private final DeadlineInfo info;
    private final List<TaskRecord> tasks;
    private final boolean dryRun;
    private boolean settled;

    DeadlineRun(DeadlineInfo info, List<TaskRecord> tasks, boolean dryRun) {
        this.info = info;
        this.tasks = List.copyOf(tasks);
        this.dryRun = dryRun;
    }

    public DeadlineInfo info() {
        return info;
    }

    public List<TaskRecord> tasks() {
        return tasks;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public synchronized boolean settled() {
        return settled;
    }

    synchronized boolean settle() {
        if (settled) {
            return false;
        }
        settled = true;
        return true;
    }

    public boolean complete() {
        return tasks.stream().allMatch(t -> t.state() == TaskState.ACCEPTED);
    }
}
