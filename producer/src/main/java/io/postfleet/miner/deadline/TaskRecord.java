package io.postfleet.miner.deadline;

import io.postfleet.miner.chain.ChainSector;
import io.postfleet.proving.task.PostTask;
import io.postfleet.schemas.PostKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One task the miner published, with the records the miner checks its result against: the sectors as the chain
 * has them (ids and comm_r) and, for a winning task, the eligible set the challenged sector was drawn from. Its
 * state changes only through the book; each change and read holds this record's own lock.
 */
public final class TaskRecord {

    private final PostKind kind;
    private final String taskId;
    private final int deadline;
    private final int partition;
    private final PostTask task;
    private final List<ChainSector> sectors;
    private final List<ChainSector> eligible;
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
    private final List<String> lostBy = new ArrayList<>();

    /**
     * @param deadline  the deadline index, -1 for a winning task
     * @param partition the partition index within the deadline, -1 for a winning task
     * @param sectors   the sectors the task proves, as the miner's records have them
     * @param eligible  the sectors a winning task's challenged one was drawn from (for a window task: its sectors)
     */
    public TaskRecord(PostTask task, int deadline, int partition, List<ChainSector> sectors,
                      List<ChainSector> eligible) {
        this.kind = task.kind();
        this.taskId = task.taskId();
        this.deadline = deadline;
        this.partition = partition;
        this.task = task;
        this.sectors = List.copyOf(sectors);
        this.eligible = List.copyOf(eligible);
        this.randomness = task.randomness();
        this.dueAt = task.dueAt();
        this.dryRun = task.dryRun();
        this.publishedAt = task.publishedAt();
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

    public PostTask task() {
        return task;
    }

    /** The sectors the miner's records say this task proves, ascending by id. */
    public List<ChainSector> sectors() {
        return sectors;
    }

    /** For a winning task, the eligible sectors the challenged one was drawn from; for a window task, its sectors. */
    public List<ChainSector> eligible() {
        return eligible;
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

    /** The provers (workers, or the miner) that said they began proving it, in that order. */
    public synchronized List<String> startedBy() {
        return List.copyOf(startedBy);
    }

    /** Records that {@code worker}, which held it, was lost; false when that was already known. */
    synchronized boolean lost(String worker) {
        if (lostBy.contains(worker)) {
            return false;
        }
        lostBy.add(worker);
        return true;
    }

    /** Workers that held it and went silent, in that order. */
    public synchronized List<String> lostBy() {
        return List.copyOf(lostBy);
    }

    /** Whether any prover (a worker or the miner) said it began proving it. */
    synchronized boolean startedByAnyone() {
        return !startedBy.isEmpty();
    }

    public synchronized boolean isOpen() {
        return state == TaskState.PENDING || state == TaskState.LOCAL;
    }

    /** Whether a result for it still matters: it is not accepted and its deadline is not abandoned. */
    public synchronized boolean isOpenForResults() {
        return isOpen();
    }
}
