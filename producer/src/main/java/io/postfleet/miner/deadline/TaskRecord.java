package io.postfleet.miner.deadline;

import io.postfleet.miner.chain.ChainSector;
import io.postfleet.schemas.PostKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One task the miner published, with the records the miner checks its result against: the sectors as the chain
 * has them (ids and comm_r), the randomness it drew and the prover id. Mutable state is guarded by the book.
 *
 * @param task the Avro task as published (WindowPostTask or WinningPostTask)
 */
public final class TaskRecord {

    private final PostKind kind;
    private final String taskId;
    private final int deadline;
    private final int partition;
    private final Object task;
    private final List<ChainSector> sectors;
    private final byte[] randomness;
    private final Instant dueAt;
    private final boolean dryRun;
    private final Instant publishedAt;

    private TaskState state = TaskState.PENDING;
    private Integer topicPartition;
    private String acceptedWorker;
    private String proofSha256;
    private List<Long> faults = List.of();
    private String lastProblem;
    private Instant acceptedAt;
    private int localAttempts;
    private final List<String> startedBy = new ArrayList<>();

    public TaskRecord(PostKind kind, String taskId, int deadline, int partition, Object task, List<ChainSector> sectors,
                      byte[] randomness, Instant dueAt, boolean dryRun, Instant publishedAt) {
        this.kind = kind;
        this.taskId = taskId;
        this.deadline = deadline;
        this.partition = partition;
        this.task = task;
        this.sectors = List.copyOf(sectors);
        this.randomness = randomness.clone();
        this.dueAt = dueAt;
        this.dryRun = dryRun;
        this.publishedAt = publishedAt;
    }

    public PostKind kind() {
        return kind;
    }

    public String taskId() {
        return taskId;
    }

    /** The deadline index, -1 for a winning task. */
    public int deadline() {
        return deadline;
    }

    /** The partition index within the deadline, -1 for a winning task. */
    public int partition() {
        return partition;
    }

    public Object task() {
        return task;
    }

    /** The sectors the miner's records say this task proves, ascending by id. */
    public List<ChainSector> sectors() {
        return sectors;
    }

    public byte[] randomness() {
        return randomness.clone();
    }

    /** When a proof stops being worth anything: the deadline's close, or the block's must-finish-by. */
    public Instant dueAt() {
        return dueAt;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public Instant publishedAt() {
        return publishedAt;
    }

    public synchronized TaskState state() {
        return state;
    }

    public synchronized Integer topicPartition() {
        return topicPartition;
    }

    public synchronized String acceptedWorker() {
        return acceptedWorker;
    }

    public synchronized String proofSha256() {
        return proofSha256;
    }

    public synchronized List<Long> faults() {
        return List.copyOf(faults);
    }

    public synchronized String lastProblem() {
        return lastProblem;
    }

    public synchronized Instant acceptedAt() {
        return acceptedAt;
    }

    public synchronized int localAttempts() {
        return localAttempts;
    }

    synchronized void publishedTo(Integer partition) {
        topicPartition = partition;
    }

    /** PENDING to LOCAL; false when the task is already proven locally, accepted or abandoned. */
    synchronized boolean takeLocal() {
        if (state != TaskState.PENDING) {
            return false;
        }
        state = TaskState.LOCAL;
        localAttempts++;
        return true;
    }

    /** The local prover could not prove it: back to PENDING so a worker (or a later local attempt) can. */
    synchronized void localFailed(String problem) {
        if (state == TaskState.LOCAL) {
            state = TaskState.PENDING;
            lastProblem = problem;
        }
    }

    /** First valid result wins: false when one was accepted already or the task was abandoned. */
    synchronized boolean accept(String worker, String sha256, List<Long> skipped, Instant at) {
        if (state == TaskState.ACCEPTED || state == TaskState.ABANDONED) {
            return false;
        }
        state = TaskState.ACCEPTED;
        acceptedWorker = worker;
        proofSha256 = sha256;
        faults = List.copyOf(skipped);
        acceptedAt = at;
        return true;
    }

    /** Notes why a result was refused; the task stays open. */
    synchronized void refused(String problem) {
        lastProblem = problem;
    }

    synchronized boolean abandon() {
        if (state == TaskState.ACCEPTED || state == TaskState.ABANDONED) {
            return false;
        }
        state = TaskState.ABANDONED;
        return true;
    }

    /** Records that {@code worker} began proving it; false when that was already known. */
    synchronized boolean started(String worker) {
        if (startedBy.contains(worker)) {
            return false;
        }
        startedBy.add(worker);
        return true;
    }

    public synchronized boolean isOpen() {
        return state == TaskState.PENDING || state == TaskState.LOCAL;
    }

    /** Whether a result for it still matters: it is not accepted and its deadline is not abandoned. */
    public synchronized boolean isOpenForResults() {
        return isOpen();
    }
}
