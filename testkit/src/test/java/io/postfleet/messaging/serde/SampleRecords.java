package io.postfleet.messaging.serde;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.postfleet.schemas.Bytes32;
import io.postfleet.schemas.GpuInfo;
import io.postfleet.schemas.Outcome;
import io.postfleet.schemas.PostKind;
import io.postfleet.schemas.PostResult;
import io.postfleet.schemas.SkippedSector;
import io.postfleet.schemas.TaskSector;
import io.postfleet.schemas.WindowPostTask;
import io.postfleet.schemas.WinningPostTask;
import io.postfleet.schemas.WorkerState;
import io.postfleet.schemas.WorkerStatus;

/** One filled-in value of each message type, every optional field set, so a round trip has something to lose. */
final class SampleRecords {

    // timestamp-millis: a value with sub-millisecond digits would not survive the round trip by design
    static final Instant T = Instant.parse("2026-11-24T15:00:00.123Z").truncatedTo(ChronoUnit.MILLIS);

    private SampleRecords() {
    }

    static Bytes32 bytes32(int seed) {
        byte[] b = new byte[32];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return new Bytes32(b);
    }

    static TaskSector sector(long id) {
        return TaskSector.newBuilder().setSectorId(id).setCommR(bytes32((int) id)).setUpdated(id % 2 == 0)
                .setSealedHint("/storage/sealed/s-t01000-" + id).setCacheHint("/storage/cache/s-t01000-" + id).build();
    }

    static WindowPostTask windowTask() {
        return WindowPostTask.newBuilder().setTaskId("w-1000-1200-3-0").setMinerId(1000).setProverId(bytes32(1))
                .setDeadline(3).setPartitionIndex(0).setChallengeEpoch(1200).setOpenEpoch(1220)
                .setRandomness(bytes32(2)).setSectorSize("2KiB").setApiVersion("v1_2").setRegisteredProof(8)
                .setSectors(List.of(sector(1), sector(2), sector(7))).setCloseTime(T.plusSeconds(1800))
                .setPublishedAt(T).setDryRun(true).build();
    }

    static WinningPostTask winningTask() {
        return WinningPostTask.newBuilder().setTaskId("n-1000-1300").setMinerId(1000).setProverId(bytes32(3))
                .setEpoch(1300).setRandomness(bytes32(4)).setSectorSize("2KiB").setRegisteredProof(0)
                .setEligibleCount(12).setSectorIndex(5).setSector(sector(5)).setMustFinishBy(T.plusSeconds(20))
                .setPublishedAt(T).setDryRun(false).build();
    }

    static PostResult result() {
        return PostResult.newBuilder().setTaskId("w-1000-1200-3-0").setKind(PostKind.WINDOW).setWorkerId("window-1")
                .setOutcome(Outcome.PROVEN)
                .setSkipped(List.of(new SkippedSector(7L, "not found in any storage path", true)))
                .setError(null).setChunkIndex(1).setChunkCount(3).setProofBytes(4242).setProofSha256(bytes32(9))
                .setProofChunk(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}))
                .setSnarkProofs(ByteBuffer.wrap(new byte[192])).setStartedAt(T).setFinishedAt(T.plusMillis(1500))
                .setProvingMillis(1500).setBackend("opencl:0 Test Device").build();
    }

    static WorkerStatus workerStatus() {
        return WorkerStatus.newBuilder().setWorkerId("window-1").setKind(PostKind.WINDOW)
                .setState(WorkerState.PROVING).setHost("host-a").setPid(4321).setVersion("0.1.0")
                .setStartedAt(T.minusSeconds(600)).setSentAt(T).setCurrentTaskId("w-1000-1200-3-0")
                .setCurrentTaskSince(T.minusSeconds(2)).setTasksDone(17).setCpuCores(2).setCpuLoad(0.75)
                .setMemTotalBytes(24L << 30).setMemUsedBytes(3L << 30).setHeapMaxBytes(1L << 30)
                .setGpus(List.of(GpuInfo.newBuilder().setName("Fake GPU")
                        .setMemTotalBytes(8L << 30).setMemUsedBytes(1L << 30).setUtilization(40).build())).setHashBackend("cpu").build();
    }
}
