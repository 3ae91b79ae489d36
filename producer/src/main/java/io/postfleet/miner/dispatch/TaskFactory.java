package io.postfleet.miner.dispatch;

import io.postfleet.miner.chain.ChainSector;
import io.postfleet.miner.chain.DeadlineInfo;
import io.postfleet.miner.chain.Partition;
import io.postfleet.proofs.post.ChallengeDeriver;
import io.postfleet.proving.task.WindowTask;
import io.postfleet.proving.task.WinningTask;
import io.postfleet.schemas.Bytes32;
import io.postfleet.schemas.TaskSector;
import io.postfleet.schemas.WindowPostTask;
import io.postfleet.schemas.WinningPostTask;

import java.time.Instant;

/**
 * Builds the task records the miner publishes. Task ids carry the challenge epoch because deadline numbers repeat
 * every proving period: {@code w-<miner>-<challengeEpoch>-<deadline>-<partition>} and {@code n-<miner>-<epoch>}.
 */
public final class TaskFactory {

    private final long minerId;
    private final byte[] proverId;
    private final String sectorSize;
    private final int windowProofType;
    private final int winningProofType;
    private final String windowApi;

    public TaskFactory(long minerId, String sectorSize, int windowProofType, int winningProofType, String windowApi) {
        this.minerId = minerId;
        this.proverId = ChallengeDeriver.proverId(minerId);
        this.sectorSize = sectorSize;
        this.windowProofType = windowProofType;
        this.winningProofType = winningProofType;
        this.windowApi = windowApi;
    }

    public byte[] proverId() {
        return proverId.clone();
    }

    public static String windowTaskId(long minerId, DeadlineInfo dl, int partition, boolean dryRun) {
        return (dryRun ? "dry-" : "") + "w-" + minerId + "-" + dl.challengeEpoch() + "-" + dl.index() + "-" + partition;
    }

    public static String winningTaskId(long minerId, long epoch, boolean dryRun) {
        return (dryRun ? "dry-" : "") + "n-" + minerId + "-" + epoch;
    }

    public WindowTask window(DeadlineInfo dl, Partition p, byte[] randomness, Instant closeTime, boolean dryRun) {
        return WindowTask.of(WindowPostTask.newBuilder()
                .setTaskId(windowTaskId(minerId, dl, p.index(), dryRun))
                .setMinerId(minerId)
                .setProverId(new Bytes32(proverId.clone()))
                .setDeadline(dl.index())
                .setPartitionIndex(p.index())
                .setChallengeEpoch(dl.challengeEpoch())
                .setOpenEpoch(dl.openEpoch())
                .setRandomness(new Bytes32(randomness.clone()))
                .setSectorSize(sectorSize)
                .setApiVersion(windowApi)
                .setRegisteredProof(windowProofType)
                .setSectors(p.sectors().stream().map(TaskFactory::taskSector).toList())
                .setCloseTime(closeTime)
                .setPublishedAt(Instant.now())
                .setDryRun(dryRun)
                .build());
    }

    public WinningTask winning(long epoch, byte[] randomness, int eligibleCount, int sectorIndex, ChainSector sector,
                               Instant mustFinishBy, boolean dryRun) {
        return WinningTask.of(WinningPostTask.newBuilder()
                .setTaskId(winningTaskId(minerId, epoch, dryRun))
                .setMinerId(minerId)
                .setProverId(new Bytes32(proverId.clone()))
                .setEpoch(epoch)
                .setRandomness(new Bytes32(randomness.clone()))
                .setSectorSize(sectorSize)
                .setRegisteredProof(winningProofType)
                .setEligibleCount(eligibleCount)
                .setSectorIndex(sectorIndex)
                .setSector(taskSector(sector))
                .setMustFinishBy(mustFinishBy)
                .setPublishedAt(Instant.now())
                .setDryRun(dryRun)
                .build());
    }

    private static TaskSector taskSector(ChainSector s) {
        return TaskSector.newBuilder().setSectorId(s.sectorId()).setCommR(new Bytes32(s.commR())).setUpdated(s.updated())
                .setSealedHint(null).setCacheHint(null).build();
    }
}
