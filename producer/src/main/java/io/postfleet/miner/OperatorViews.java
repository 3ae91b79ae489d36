package io.postfleet.miner;

import java.util.List;
import java.util.Map;

/**
 * What the operator API answers, as values: the JSON of {@code --json} and the status page is these records as
 * Jackson writes them, and the text of the commands is {@link OperatorText}'s rendering of the same records, so the
 * two never disagree. Sizes are bytes, times milliseconds, CPU in cores; -1 (or null) means unknown.
 */
public final class OperatorViews {

    private OperatorViews() {
    }

    /** One GPU of a worker. */
    public record Gpu(String name, String source, long memTotalBytes, long memUsedBytes, int utilization, int cores,
                      boolean used) {
    }

    /**
     * One worker as the miner's roster has it.
     *
     * @param liveness    live, gone (heartbeats stopped) or stopped (said so)
     * @param state       IDLE, PROVING or STOPPING, as last reported
     * @param onTaskMs    how long it has been on {@code task}, by its own clock; -1 when idle
     * @param silentMs    time since its last heartbeat reached the miner
     * @param goneAfterMs the silence after which it counts as gone
     */
    public record Worker(String id, String host, String kind, String liveness, String state, String task,
                         long onTaskMs, int cpuCores, double hostCoresBusy, double processCoresBusy,
                         long memTotalBytes, long memUsedBytes, long processRssBytes, long vmemTotalBytes,
                         long vmemUsedBytes, long processVmemBytes, List<Gpu> gpus, String hashBackend,
                         long tasksDone, long silentMs, long heartbeatIntervalMs, long goneAfterMs, String version,
                         long pid) {
    }

    /** Every worker seen and not yet dropped. */
    public record Workers(List<Worker> workers) {
    }

    /**
     * One partition's task of a deadline's run.
     *
     * @param provers the workers (or {@code miner-local}) that said they began it, in that order
     * @param worker  whose proof was accepted, null until one was
     */
    public record Task(String taskId, int partition, String state, List<String> provers, String worker,
                       int faultySectors, String problem) {
    }

    /**
     * One deadline of the proving period.
     *
     * @param state none (no run this period yet), proving, submitted or missed
     * @param tasks the last run's tasks, empty without one
     */
    public record Deadline(int index, boolean current, int partitions, int sectors, long challengeEpoch,
                           long openEpoch, long closeEpoch, String state, int partitionsProven, int faultySectors,
                           List<Task> tasks) {
    }

    /** The deadline table with the chain's position. */
    public record Deadlines(long minerId, long epoch, String sectorSize, String hashBackend, int currentDeadline,
                           List<Deadline> deadlines) {
    }

    /**
     * Who proves a kind now.
     *
     * @param prover      fleet (live workers consume) or miner (the miner proves locally)
     * @param liveWorkers live workers of the kind
     */
    public record Fallback(String kind, String prover, int liveWorkers, long lag, String note) {
    }

    /** {@code post-miner info}. */
    public record Info(long minerId, long epoch, long epochMs, String sectorSize, int sectors, String hashBackend,
                       Map<String, Integer> workers, Deadline currentDeadline, long epochsLeft,
                       List<Fallback> fallback, long winningProofs, long winningMissed) {
    }

    /** One recent event, as in the events file. */
    public record Event(String ts, String type, String taskId, Integer deadline, Integer partition, String worker,
                        String reason) {
    }

    /** Everything the status page shows, in one answer. */
    public record Status(Info info, Deadlines deadlines, Workers workers, List<Event> events) {
    }

    /** A dry run's outcome. */
    public record DryRun(String kind, int deadline, long epoch, String outcome, List<DryRunTask> tasks) {
    }

    /** One task of a dry run. */
    public record DryRunTask(String taskId, String state, String worker, long afterPublishMs, List<Long> faults,
                             String problem) {
    }
}
