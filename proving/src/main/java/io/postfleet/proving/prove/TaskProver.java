package io.postfleet.proving.prove;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.postfleet.proofs.post.PartitionProof;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.ProvingSector;
import io.postfleet.proofs.sector.StoragePaths;
import io.postfleet.proving.task.PostTask;
import io.postfleet.proving.task.WindowTask;
import io.postfleet.proving.task.WinningTask;
import io.postfleet.schemas.Outcome;
import io.postfleet.schemas.PostResult;
import io.postfleet.schemas.RemoteRead;
import io.postfleet.schemas.SkippedSector;
import io.postfleet.schemas.TaskSector;

/**
 * Answers window and winning tasks with real proofs. A task past its due time is answered EXPIRED without proving;
 * a sector no storage path holds, or one that cannot be read or proven, is listed as skipped with its reason and the
 * others are proven in the same pass. Thread-safe if the PartitionProver is; the worker calls it from one thread.
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
     * @param clock      the clock due times are checked against
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

    /** Whether {@code task} is past its due time now. */
    public boolean expired(PostTask task) {
        return task.expiredAt(clock.instant());
    }

    public TaskAnswer answer(PostTask task) throws InterruptedException {
        Instant started = clock.instant();
        if (task.expiredAt(started)) {
            return expired(task, started);
        }
        try {
            delay();
            return task instanceof WindowTask w ? proveWindow(w, started) : proveWinning((WinningTask) task, started);
        } catch (InterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            return failed(task, started, e);
        }
    }

    private TaskAnswer proveWindow(WindowTask task, Instant started) {
        List<ProvingSector> sectors = new ArrayList<>();
        for (TaskSector s : task.sectors()) {
            sectors.add(locate(task.minerId(), s));
        }
        PartitionProof proof = prover.proveWindow(task.sectorSize(), task.apiVersion(), task.partitionIndex(),
                task.minerId(), task.randomness(), sectors);
        return proven(task, started, proof, null, notFound(sectors));
    }

    private TaskAnswer proveWinning(WinningTask task, Instant started) {
        ProvingSector sector = locate(task.minerId(), task.sector());
        PartitionProof proof = prover.proveWinning(task.sectorSize(), task.minerId(), task.randomness(),
                task.proverId(), sector);
        // winning PoSt has no fault channel: a skipped sector means no valid proof for this epoch
        String error = proof.skipped().isEmpty() ? null : "winning sector " + proof.skipped().get(0).sectorId()
                + " cannot be proven: " + proof.skipped().get(0).reason();
        return proven(task, started, proof, error, notFound(List.of(sector)));
    }

    /** The sectors no storage path holds: this prover cannot see them, which says nothing of the sectors. */
    private static Set<Long> notFound(List<ProvingSector> sectors) {
        Set<Long> ids = new HashSet<>();
        for (ProvingSector s : sectors) {
            if (s.files() == null) {
                ids.add(s.sectorId());
            }
        }
        return ids;
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

    private PostResult.Builder base(PostTask task, Instant started) {
        Instant now = clock.instant();
        return PostResult.newBuilder()
                .setTaskId(task.taskId())
                .setKind(task.kind())
                .setWorkerId(proverName)
                .setSkipped(List.of())
                .setStartedAt(started)
                .setFinishedAt(now)
                .setProvingMillis(Duration.between(started, now).toMillis())
                .setBackend(prover.backend().description());
    }

    private TaskAnswer proven(PostTask task, Instant started, PartitionProof proof, String error,
                              Set<Long> notFound) {
        List<SkippedSector> skipped = proof.skipped().stream()
                .map(s -> new SkippedSector(s.sectorId(), s.reason(), notFound.contains(s.sectorId()))).toList();
        PostResult header = base(task, started)
                .setOutcome(error == null ? Outcome.PROVEN : Outcome.FAILED)
                .setError(error)
                .setSkipped(skipped)
                .setRemoteReads(new java.util.TreeMap<>(proof.readFrom()).entrySet().stream()
                        .map(e -> RemoteRead.newBuilder().setSectorId(e.getKey()).setHolder(e.getValue()).build())
                        .toList())
                .build();
        return new TaskAnswer(header, error == null ? Optional.of(proof) : Optional.empty());
    }

    private TaskAnswer expired(PostTask task, Instant now) {
        PostResult header = base(task, now).setOutcome(Outcome.EXPIRED)
                .setError("task " + task.taskId() + " expired before proving: due at " + task.dueAt()).build();
        return new TaskAnswer(header, Optional.empty());
    }

    private TaskAnswer failed(PostTask task, Instant started, RuntimeException e) {
        PostResult header = base(task, started).setOutcome(Outcome.FAILED)
                .setError("task " + task.taskId() + " failed: " + e).build();
        return new TaskAnswer(header, Optional.empty());
    }
}
