package io.postfleet.bench;

import io.postfleet.miner.MinerApp;
import io.postfleet.miner.chain.DeadlineInfo;
import io.postfleet.miner.deadline.DeadlineRun;

/**
 * Publishes dry runs of a deadline through a miner, built as {@code MinerApp.dryRunWindow} builds them but without
 * blocking: challenged at the current epoch, each at a new epoch because window task ids carry the challenge epoch.
 */
final class DryDeadlines {

    private final MinerApp app;
    private long lastEpoch = -1;

    DryDeadlines(MinerApp app) {
        this.app = app;
    }

    /** The current epoch, once it is one no dry run of this miner was challenged at yet. */
    long nextEpoch() throws InterruptedException {
        long epoch;
        while ((epoch = app.chain().currentEpoch()) <= lastEpoch) {
            Thread.sleep(5);
        }
        lastEpoch = epoch;
        return epoch;
    }

    /**
     * Publishes deadline {@code index}, which must have exactly one partition, challenged at {@code epoch} (from
     * {@link #nextEpoch()}); returns its task id.
     */
    String publishOnePartition(int index, long epoch) {
        DeadlineInfo now = app.chain().deadlineAt(epoch);
        DeadlineInfo dry = new DeadlineInfo(now.periodStart(), index, epoch, epoch + DeadlineInfo.CHALLENGE_LOOKBACK,
                epoch + DeadlineInfo.CHALLENGE_LOOKBACK + DeadlineInfo.CHALLENGE_WINDOW);
        DeadlineRun run = app.miner().publishDeadline(dry, true);
        if (run == null || run.tasks().size() != 1) {
            throw new IllegalStateException("deadline " + index + " should have exactly one partition, got "
                    + (run == null ? "none" : run.tasks().size()));
        }
        return run.tasks().get(0).taskId();
    }
}
