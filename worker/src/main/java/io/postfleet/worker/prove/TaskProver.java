package io.postfleet.worker.prove;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.postfleet.proofs.post.ApiVersion;
import io.postfleet.proofs.post.PartitionProof;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.ProofBundle;
import io.postfleet.proofs.post.ProvingSector;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.StoragePaths;
import io.postfleet.schemas.Outcome;
import io.postfleet.schemas.PostKind;
import io.postfleet.schemas.PostResult;
import io.postfleet.schemas.SkippedSector;
import io.postfleet.schemas.TaskSector;
import io.postfleet.schemas.WindowPostTask;
import io.postfleet.schemas.WinningPostTask;

/**
 * Answers window and winning tasks with real proofs. A task past its deadline ({@code closeTime} /
 * {@code mustFinishBy}) is answered EXPIRED without proving; a sector no storage path holds, or one that cannot be
 * read or proven, is listed as skipped with its reason and the others are proven in the same pass. Thread-safe if
 * the PartitionProver is; the worker calls it from one thread.
 */
public final class TaskProver {

    private final PartitionProver prover;
    private final StoragePaths storage;
    private final String proverName;
    private final Duration proveDelay;
    private final Clock clock;

    /**
     * @param prover     the proofs library's prover over the chosen hash backend
     * @param storage    where sector files are looked up
     * @param proverName the worker id (or miner name) written into results
     * @param proveDelay extra time spent per proof, for tests of long proofs (ZERO otherwise)
     * @param clock      the clock deadlines are checked against
     */
    public TaskProver(PartitionProver prover, StoragePaths storage, String proverName, Duration proveDelay,
                      Clock clock) {
        this.prover = prover;
        this.storage = storage;
        this.proverName = proverName;
        this.proveDelay = proveDelay;
        this.clock = clock;
    }

    public TaskProver(PartitionProver prover, StoragePaths storage, String proverName) {
        this(prover, storage, proverName, Duration.ZERO, Clock.systemUTC());
    }

    /** A window or winning task; anything else is an IllegalArgumentException. */
    public TaskAnswer answer(Object task) throws InterruptedException {
        if (task instanceof WindowPostTask w) {
            return answer(w);
        }
        if (task instanceof WinningPostTask w) {
            return answer(w);
        }
        throw new IllegalArgumentException("not a PoSt task: " + (task == null ? "null" : task.getClass().getName()));
    }

    public TaskAnswer answer(WindowPostTask task) throws InterruptedException {
        Instant started = clock.instant();
        if (!started.isBefore(task.getCloseTime())) {
            return expired(task.getTaskId(), PostKind.WINDOW, started, "deadline closed at " + task.getCloseTime());
        }
        try {
            SectorSize size = SectorSize.parse(task.getSectorSize());
            ApiVersion api = ApiVersion.parse(task.getApiVersion());
            List<ProvingSector> sectors = new ArrayList<>();
            for (TaskSector s : task.getSectors()) {
                sectors.add(locate(task.getMinerId(), s));
            }
            delay();
            PartitionProof proof = prover.proveWindow(size, api, task.getPartitionIndex(), task.getMinerId(),
                    task.getRandomness().bytes(), sectors);
            return proven(task.getTaskId(), PostKind.WINDOW, started, proof, null);
        } catch (InterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            return failed(task.getTaskId(), PostKind.WINDOW, started, e);
        }
    }

    public TaskAnswer answer(WinningPostTask task) throws InterruptedException {
        Instant started = clock.instant();
        if (!started.isBefore(task.getMustFinishBy())) {
            return expired(task.getTaskId(), PostKind.WINNING, started, "must have finished by "
                    + task.getMustFinishBy());
        }
        try {
            SectorSize size = SectorSize.parse(task.getSectorSize());
            ProvingSector sector = locate(task.getMinerId(), task.getSector());
            delay();
            PartitionProof proof = prover.proveWinning(size, task.getMinerId(), task.getRandomness().bytes(),
                    task.getProverId().bytes(), sector);
            // winning PoSt has no fault channel: a skipped sector means no valid proof for this epoch
            String error = proof.skipped().isEmpty() ? null : "winning sector " + proof.skipped().get(0).sectorId()
                    + " cannot be proven: " + proof.skipped().get(0).reason();
            return proven(task.getTaskId(), PostKind.WINNING, started, proof, error);
        } catch (InterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            return failed(task.getTaskId(), PostKind.WINNING, started, e);
        }
    }

    /** Whether {@code task} is past its deadline now. */
    public boolean expired(Object task) {
        Instant now = clock.instant();
        if (task instanceof WindowPostTask w) {
            return !now.isBefore(w.getCloseTime());
        }
        if (task instanceof WinningPostTask w) {
            return !now.isBefore(w.getMustFinishBy());
        }
        return false;
    }

    private ProvingSector locate(long minerId, TaskSector s) {
        return new ProvingSector(s.getSectorId(), s.getCommR().bytes(),
                storage.locate(minerId, s.getSectorId()).orElse(null));
    }

    private void delay() throws InterruptedException {
        if (!proveDelay.isZero()) {
            Thread.sleep(proveDelay.toMillis());
        }
    }

    private PostResult.Builder base(String taskId, PostKind kind, Instant started) {
        Instant now = clock.instant();
        return PostResult.newBuilder()
                .setTaskId(taskId)
                .setKind(kind)
                .setWorkerId(proverName)
                .setSkipped(List.of())
                .setStartedAt(started)
                .setFinishedAt(now)
                .setProvingMillis(Duration.between(started, now).toMillis())
                .setBackend(prover.backend().description());
    }

    private TaskAnswer proven(String taskId, PostKind kind, Instant started, PartitionProof proof, String error) {
        List<SkippedSector> skipped = proof.skipped().stream()
                .map(s -> new SkippedSector(s.sectorId(), s.reason())).toList();
        PostResult header = base(taskId, kind, started)
                .setOutcome(error == null ? Outcome.PROVEN : Outcome.FAILED)
                .setError(error)
                .setSkipped(skipped)
                .build();
        return new TaskAnswer(header, error == null ? ProofBundle.encode(proof) : new byte[0]);
    }

    private TaskAnswer expired(String taskId, PostKind kind, Instant now, String why) {
        PostResult header = base(taskId, kind, now).setOutcome(Outcome.EXPIRED)
                .setError("task " + taskId + " expired before proving: " + why).build();
        return new TaskAnswer(header, new byte[0]);
    }

    private TaskAnswer failed(String taskId, PostKind kind, Instant started, RuntimeException e) {
        PostResult header = base(taskId, kind, started).setOutcome(Outcome.FAILED)
                .setError("task " + taskId + " failed: " + e).build();
        return new TaskAnswer(header, new byte[0]);
    }
}
