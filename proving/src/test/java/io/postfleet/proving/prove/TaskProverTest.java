package io.postfleet.proving.prove;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.post.ChallengeDeriver;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.PostVerifier;
import io.postfleet.proofs.post.ProverSettings;
import io.postfleet.proofs.post.Verdict;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.StoragePaths;
import io.postfleet.proofs.sector.TestSectors;
import io.postfleet.proving.task.WinningTask;
import io.postfleet.schemas.Bytes32;
import io.postfleet.schemas.Outcome;
import io.postfleet.schemas.TaskSector;
import io.postfleet.schemas.WinningPostTask;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TaskProverTest {

    static final SectorSize SIZE = SectorSize.parse("2KiB");
    static CpuHashBackend backend;
    static Manifest sectors;

    @BeforeAll
    static void pledge() throws Exception {
        backend = new CpuHashBackend();
        Path dir = Files.createTempDirectory("task-prover-");
        sectors = new TestSectors(backend).pledge(dir, SIZE, 1000, 3, 10, 7, false, n -> { });
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    static byte[] element(int seed) {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) {
            b[i] = (byte) (seed * 13 + i * 7);
        }
        b[31] &= 0x3f;
        return b;
    }

    WinningTask winning(Instant mustFinishBy) {
        byte[] randomness = element(3);
        byte[] prover = element(5);
        int index = ChallengeDeriver.winningSectorIndex(randomness, prover, sectors.sectors().size());
        Manifest.Entry e = sectors.sectors().get(index);
        return WinningTask.of(WinningPostTask.newBuilder().setTaskId("n-1000-77").setMinerId(1000).setProverId(new Bytes32(prover))
                .setEpoch(77).setRandomness(new Bytes32(randomness)).setSectorSize(SIZE.label())
                .setRegisteredProof(0).setEligibleCount(sectors.sectors().size()).setSectorIndex(index)
                .setSector(TaskSector.newBuilder().setSectorId(e.id()).setCommR(new Bytes32(e.commR())).build())
                .setMustFinishBy(mustFinishBy).setPublishedAt(Instant.now()).build());
    }

    TaskProver prover(Clock clock) {
        return new TaskProver(new PartitionProver(backend, ProverSettings.defaults()),
                new StoragePaths(List.of(sectors.dir())), "local", Duration.ZERO, clock);
    }

    @Test
    void aWinningTaskIsProvenAndVerifies() throws Exception {
        WinningTask task = winning(Instant.now().plusSeconds(60));
        TaskAnswer a = prover(Clock.systemUTC()).answer(task);
        assertEquals(Outcome.PROVEN, a.outcome());
        assertEquals("local", a.header().getWorkerId());
        SortedMap<Long, byte[]> eligible = new TreeMap<>();
        sectors.sectors().forEach(e -> eligible.put(e.id(), e.commR()));
        Verdict v = new PostVerifier(backend).verifyWinning(SIZE, task.randomness(),
                task.proverId(), eligible, a.proof().orElseThrow());
        assertInstanceOf(Verdict.Valid.class, v);
    }

    @Test
    void aWinningTaskPastMustFinishByIsExpiredWithoutAProof() throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:20Z");
        WinningTask task = winning(Instant.parse("2026-01-01T00:00:20Z"));
        TaskAnswer a = prover(Clock.fixed(now, ZoneOffset.UTC)).answer(task);
        assertEquals(Outcome.EXPIRED, a.outcome());
        assertTrue(a.proof().isEmpty());
        assertEquals(0, a.bundle().length);
    }

    @Test
    void aWinningSectorMissingFromStorageFailsNamingTheSector() throws Exception {
        WinningTask task = winning(Instant.now().plusSeconds(60));
        TaskProver empty = new TaskProver(new PartitionProver(backend, ProverSettings.defaults()),
                new StoragePaths(new ArrayList<>()), "local");
        TaskAnswer a = empty.answer(task);
        assertEquals(Outcome.FAILED, a.outcome());
        assertTrue(a.header().getError().contains("winning sector " + task.sector().getSectorId()),
                a.header().getError());
        assertEquals(1, a.header().getSkipped().size());
    }
}
