package io.postfleet.proofs.post;

import io.postfleet.proofs.TestHashing;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.merkle.MerkleProof;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.PersistentAux;
import io.postfleet.proofs.sector.SectorFiles;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.TestSectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionProverTest {

    @TempDir
    Path dir;

    final HashBackend backend = TestHashing.backend();
    static final byte[] RANDOMNESS = randomness(7);

    static byte[] randomness(int seed) {
        return TestSectors.randomNode(new SplittableRandom(seed));
    }

    Manifest pledge(SectorSize size, int count) throws Exception {
        return new TestSectors(backend).pledge(dir, size, 1000, count, 0, 42, false, n -> { });
    }

    static List<ProvingSector> proving(Manifest m, long... ids) {
        List<ProvingSector> out = new ArrayList<>();
        for (long id : ids) {
            Manifest.Entry e = m.entry(id);
            out.add(new ProvingSector(id, e.commR(), m.files(e)));
        }
        return out;
    }

    static SortedMap<Long, byte[]> records(Manifest m, long... ids) {
        SortedMap<Long, byte[]> r = new TreeMap<>();
        for (long id : ids) {
            r.put(id, m.entry(id).commR());
        }
        return r;
    }

    PartitionProver prover() {
        return new PartitionProver(backend, ProverSettings.defaults());
    }

    @ParameterizedTest
    @EnumSource(value = SectorSize.class, names = {"KIB_2", "KIB_4", "KIB_16", "KIB_32"})
    void healthyPartitionsProveAndVerifyForEveryTestShape(SectorSize size) throws Exception {
        Manifest m = pledge(size, 3);
        PostVerifier verifier = new PostVerifier(backend);
        PartitionProof p0 = prover().proveWindow(size, ApiVersion.V1_2, 0, 1000, RANDOMNESS, proving(m, 1, 0));
        assertEquals(List.of(), p0.skipped());
        assertEquals(List.of(0L, 1L), p0.sectors().stream().map(FallbackPoStSectorProof::sectorId).toList());
        for (FallbackPoStSectorProof p : p0.sectors()) {
            long[] ch = ChallengeDeriver.window(size, ApiVersion.V1_2, RANDOMNESS, p.sectorId(), 0);
            List<MerkleProof> incl = p.proof().inclusionProofs();
            for (int n = 0; n < ch.length; n++) {
                assertEquals(ch[n], incl.get(n).pathIndex());
                assertEquals(size.shape().pathLength(), incl.get(n).path().size());
            }
        }
        assertEquals(new Verdict.Valid(), verifier.verifyWindow(size, ApiVersion.V1_2, 0, RANDOMNESS, records(m, 0, 1), p0));

        PartitionProof p1 = prover().proveWindow(size, ApiVersion.V1_2, 1, 1000, RANDOMNESS, proving(m, 2));
        assertEquals(2, p1.sectors().size(), "padded to the partition size");
        assertEquals(1, p1.proven().size());
        assertEquals(new Verdict.Valid(), verifier.verifyWindow(size, ApiVersion.V1_2, 1, RANDOMNESS, records(m, 2), p1));
    }

    @Test
    void v10ChallengesFollowThePartitionPosition() throws Exception {
        Manifest m = pledge(SectorSize.KIB_2, 4);
        PartitionProof p = prover().proveWindow(SectorSize.KIB_2, ApiVersion.V1_0, 1, 1000, RANDOMNESS, proving(m, 2, 3));
        PostVerifier v = new PostVerifier(backend);
        assertEquals(new Verdict.Valid(), v.verifyWindow(SectorSize.KIB_2, ApiVersion.V1_0, 1, RANDOMNESS, records(m, 2, 3), p));
        assertTrue(v.verifyWindow(SectorSize.KIB_2, ApiVersion.V1_0, 0, RANDOMNESS, records(m, 2, 3), p) instanceof Verdict.Invalid);
    }

    @Test
    void underV10ASectorAfterASkippedOneIsProvenAgainAtItsNewPosition() throws Exception {
        Manifest m = pledge(SectorSize.KIB_2, 2);
        Files.delete(m.files(m.entry(0)).sealed());
        Map<Long, AtomicInteger> reads = new ConcurrentHashMap<>();
        PartitionProver prover = prover().withReadDelay(id -> {
            reads.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            return Duration.ZERO;
        });
        PartitionProof p = prover.proveWindow(SectorSize.KIB_2, ApiVersion.V1_0, 0, 1000, RANDOMNESS, proving(m, 0, 1));
        assertEquals(List.of(0L), p.skipped().stream().map(SkippedSector::sectorId).toList());
        assertEquals(2, reads.get(1L).get(), "sector 1 moved from position 1 to 0");
        assertEquals(1, reads.get(0L).get());
        assertEquals(new Verdict.Valid(), new PostVerifier(backend).verifyWindow(SectorSize.KIB_2, ApiVersion.V1_0, 0,
                RANDOMNESS, records(m, 0, 1), p));
        PartitionProof v12 = prover.proveWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, 1000, RANDOMNESS, proving(m, 0, 1));
        assertEquals(3, reads.get(1L).get(), "V1_2: one pass");
        assertEquals(1, v12.proven().size());
    }

    enum Fault { MISSING_REPLICA, TRUNCATED_REPLICA, CORRUPT_REPLICA, PAUX_DISAGREES, MISSING_TREE, TRUNCATED_TREE, WRONG_COMM_R, NO_STORAGE }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFaultySectorIsSkippedWithItsReasonWhileTheOtherIsProvenInOnePass(Fault fault) throws Exception {
        Manifest m = pledge(SectorSize.KIB_4, 2);
        SectorFiles bad = m.files(m.entry(1));
        SectorSize size = SectorSize.KIB_4;
        byte[] commR = m.entry(1).commR();
        String expect;
        switch (fault) {
            case MISSING_REPLICA -> {
                Files.delete(bad.sealed());
                expect = "missing";
            }
            case TRUNCATED_REPLICA -> {
                byte[] b = Files.readAllBytes(bad.sealed());
                Files.write(bad.sealed(), java.util.Arrays.copyOf(b, b.length - 32));
                expect = "truncated";
            }
            case CORRUPT_REPLICA -> {
                TestSectors.writeReplica(bad.sealed(), size.bytes(), new SplittableRandom(99));
                expect = "does not hash";
            }
            case PAUX_DISAGREES -> {
                PersistentAux aux = PersistentAux.read(bad.pAux());
                new PersistentAux(aux.commC(), TestSectors.randomNode(new SplittableRandom(5))).write(bad.pAux());
                expect = "disagrees";
            }
            case MISSING_TREE -> {
                Files.delete(bad.treeFile(size.shape(), 1));
                expect = "missing";
            }
            case TRUNCATED_TREE -> {
                Files.write(bad.treeFile(size.shape(), 0), new byte[0]);
                expect = "bytes, expected";
            }
            case WRONG_COMM_R -> {
                commR = TestSectors.randomNode(new SplittableRandom(6));
                expect = "Poseidon2";
            }
            case NO_STORAGE -> {
                expect = "not found in any storage path";
            }
            default -> throw new IllegalStateException();
        }
        Map<Long, AtomicInteger> reads = new ConcurrentHashMap<>();
        PartitionProver prover = prover().withReadDelay(id -> {
            reads.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            return Duration.ZERO;
        });
        List<ProvingSector> sectors = List.of(proving(m, 0).get(0),
                new ProvingSector(1, commR, fault == Fault.NO_STORAGE ? null : bad));
        PartitionProof p = prover.proveWindow(size, ApiVersion.V1_2, 0, 1000, RANDOMNESS, sectors);
        assertEquals(1, p.skipped().size());
        assertEquals(1L, p.skipped().get(0).sectorId());
        assertTrue(p.skipped().get(0).reason().contains(expect), p.skipped().get(0).reason());
        assertEquals(List.of(0L, 0L), p.sectors().stream().map(FallbackPoStSectorProof::sectorId).toList());
        assertEquals(1, reads.get(0L).get(), "the healthy sector is read once");
        assertEquals(1, reads.get(1L).get(), "the faulty sector is read once");
        SortedMap<Long, byte[]> rec = records(m, 0, 1);
        assertEquals(new Verdict.Valid(), new PostVerifier(backend).verifyWindow(size, ApiVersion.V1_2, 0, RANDOMNESS, rec, p));
    }

    @Test
    void aReadThatOutlivesTheSectorTimeOutIsSkipped() throws Exception {
        Manifest m = pledge(SectorSize.KIB_2, 2);
        PartitionProver prover = new PartitionProver(backend,
                new ProverSettings(4, Duration.ofMillis(200), Duration.ofMinutes(1)))
                .withReadDelay(id -> id == 1 ? Duration.ofSeconds(30) : Duration.ZERO);
        long t0 = System.nanoTime();
        PartitionProof p = prover.proveWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, 1000, RANDOMNESS, proving(m, 0, 1));
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(20).toNanos());
        assertEquals(1, p.skipped().size());
        assertTrue(p.skipped().get(0).reason().contains("sector time-out of 0.2s"), p.skipped().get(0).reason());
        assertEquals(1, p.proven().size());
    }

    @Test
    void sectorsNotReadByThePartitionTimeOutAreSkipped() throws Exception {
        Manifest m = pledge(SectorSize.KIB_2, 2);
        PartitionProver prover = new PartitionProver(backend,
                new ProverSettings(1, Duration.ofMinutes(1), Duration.ofMillis(300)))
                .withReadDelay(id -> id == 0 ? Duration.ofSeconds(30) : Duration.ZERO);
        PartitionProof p = prover.proveWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, 1000, RANDOMNESS, proving(m, 0, 1));
        assertEquals(2, p.skipped().size(), "one read at a time: the second never started");
        assertTrue(p.skipped().get(0).reason().contains("partition time-out"), p.skipped().get(0).reason());
        assertEquals(0, p.sectors().size());
    }

    @Test
    void winningProvesTheSelectedSectorWith66Challenges() throws Exception {
        Manifest m = pledge(SectorSize.KIB_2, 5);
        byte[] proverId = ChallengeDeriver.proverId(1000);
        int index = ChallengeDeriver.winningSectorIndex(RANDOMNESS, proverId, 5);
        long id = m.sectors().get(index).id();
        PartitionProof p = prover().proveWinning(SectorSize.KIB_2, 1000, RANDOMNESS, proverId, proving(m, id).get(0));
        assertEquals(66, p.sectors().get(0).proof().inclusionProofs().size());
        SortedMap<Long, byte[]> eligible = records(m, 0, 1, 2, 3, 4);
        PostVerifier v = new PostVerifier(backend);
        assertEquals(new Verdict.Valid(), v.verifyWinning(SectorSize.KIB_2, RANDOMNESS, proverId, eligible, p));
        long other = (id + 1) % 5;
        PartitionProof wrong = prover().proveWinning(SectorSize.KIB_2, 1000, RANDOMNESS, proverId, proving(m, other).get(0));
        assertTrue(v.verifyWinning(SectorSize.KIB_2, RANDOMNESS, proverId, eligible, wrong) instanceof Verdict.Invalid);
    }

    @Test
    void singleVanillaProofFailsOnAFaultySector() throws Exception {
        Manifest m = pledge(SectorSize.KIB_2, 1);
        Files.delete(m.files(m.entry(0)).pAux());
        long[] ch = ChallengeDeriver.window(SectorSize.KIB_2, ApiVersion.V1_2, RANDOMNESS, 0, 0);
        SectorFaultException e = assertThrows(SectorFaultException.class,
                () -> prover().vanillaProof(SectorSize.KIB_2, proving(m, 0).get(0), ch));
        assertTrue(e.getMessage().contains("p_aux"), e.getMessage());
    }

    @Test
    void upgradedSectorsAreProvenFromUpdateAndUpdateCache() throws Exception {
        Manifest m = new TestSectors(backend).pledge(dir, SectorSize.KIB_2, 1000, 1, 9, 1, true, n -> { });
        SectorFiles f = m.storagePaths().locate(1000, 9).orElseThrow();
        assertTrue(f.updated());
        assertTrue(f.sealed().toString().endsWith("update/s-t01000-9"));
        PartitionProof p = prover().proveWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, 1000, RANDOMNESS,
                List.of(new ProvingSector(9, m.entry(9).commR(), f)));
        assertEquals(List.of(), p.skipped());
    }

    /** Blocks the calling read until {@code release} opens, ignoring interrupts as a read hung in the kernel would. */
    static void hang(CountDownLatch release) {
        boolean interrupted = false;
        while (true) {
            try {
                release.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @Timeout(60)
    void concurrentPartitionsEachGetTheirOwnParallelReads() throws Exception {
        Manifest m = pledge(SectorSize.KIB_2, 2);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (PartitionProver prover = new PartitionProver(backend,
                new ProverSettings(1, Duration.ofSeconds(20), Duration.ofSeconds(20)))) {
            prover.withReadDelay(id -> {
                if (id == 0) {
                    entered.countDown();
                    hang(release);
                }
                return Duration.ZERO;
            });
            CompletableFuture<PartitionProof> slow = CompletableFuture.supplyAsync(() ->
                    prover.proveWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, 1000, RANDOMNESS, proving(m, 0)));
            assertTrue(entered.await(30, TimeUnit.SECONDS), "the read of sector 0 started");
            // one read at a time per call, and the other call's read is still blocked: this one needs a thread of
            // its own
            PartitionProof fast = prover.proveWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, 1000, RANDOMNESS,
                    proving(m, 1));
            assertEquals(List.of(1L), fast.proven().stream().map(FallbackPoStSectorProof::sectorId).toList());
            assertFalse(slow.isDone());
            release.countDown();
            assertEquals(List.of(0L), slow.get().proven().stream().map(FallbackPoStSectorProof::sectorId).toList());
        }
    }

    @Test
    @Timeout(60)
    void aReadHungPastItsTimeOutDoesNotHoldBackTheNextPartition() throws Exception {
        Manifest m = pledge(SectorSize.KIB_2, 2);
        CountDownLatch release = new CountDownLatch(1);
        try (PartitionProver prover = new PartitionProver(backend,
                new ProverSettings(1, Duration.ofMillis(200), Duration.ofSeconds(10)))) {
            prover.withReadDelay(id -> {
                if (id == 0) {
                    hang(release);
                }
                return Duration.ZERO;
            });
            PartitionProof first = prover.proveWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, 1000, RANDOMNESS,
                    proving(m, 0));
            assertEquals(1, first.skipped().size());
            assertTrue(first.skipped().get(0).reason().contains("sector time-out"), first.skipped().get(0).reason());
            // sector 0's thread ignored the interrupt and is still busy
            PartitionProof next = prover.proveWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, 1000, RANDOMNESS,
                    proving(m, 1));
            assertEquals(List.of(), next.skipped());
            assertEquals(List.of(1L), next.proven().stream().map(FallbackPoStSectorProof::sectorId).toList());
        } finally {
            release.countDown();
        }
    }

    @Test
    @Timeout(60)
    void closingTheProverEndsItsDaemonReadThreadsAndRefusesLaterProofs() throws Exception {
        Manifest m = pledge(SectorSize.KIB_2, 1);
        Set<Thread> readers = ConcurrentHashMap.newKeySet();
        PartitionProver prover = prover().withReadDelay(id -> {
            readers.add(Thread.currentThread());
            return Duration.ZERO;
        });
        assertEquals(1, prover.proveWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, 1000, RANDOMNESS, proving(m, 0))
                .proven().size());
        assertEquals(1, readers.size());
        for (Thread t : readers) {
            assertTrue(t.isDaemon(), t + " must not keep the JVM alive");
        }
        prover.close();
        for (Thread t : readers) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(t.isAlive(), t + " still runs after close");
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> prover.proveWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, 1000, RANDOMNESS, proving(m, 0)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    /** Holds the sectors in its own folder and proves them with its own prover: another node, in this JVM. */
    static final class OtherNode implements RemoteSectors {
        final Manifest held;
        final PartitionProver prover;
        final List<Long> asked = new ArrayList<>();

        OtherNode(Manifest held, PartitionProver prover) {
            this.held = held;
            this.prover = prover;
        }

        @Override
        public List<Outcome> prove(SectorSize size, Kind kind, long minerId, List<ProvingSector> sectors,
                                   List<long[]> challenges) {
            List<Outcome> out = new ArrayList<>();
            for (int i = 0; i < sectors.size(); i++) {
                long id = sectors.get(i).sectorId();
                asked.add(id);
                try {
                    out.add(new Read(prover.vanillaProof(size, proving(held, id).get(0), challenges.get(i)), "node-b"));
                } catch (SectorFaultException | IllegalArgumentException e) {
                    out.add(new Unavailable("node-b (" + e.getMessage() + ")"));
                }
            }
            return out;
        }
    }

    @Test
    void sectorsNoLocalPathHoldsAreProvenByTheirHolderAndNamed() throws Exception {
        Manifest m = pledge(SectorSize.KIB_2, 2);
        OtherNode node = new OtherNode(m, prover());
        // this prover sees sector 0's files, not sector 1's
        List<ProvingSector> sectors = List.of(proving(m, 0).get(0), new ProvingSector(1, m.entry(1).commR(), null));
        PartitionProof p = prover().withRemote(node).proveWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, 1000, RANDOMNESS,
                sectors);
        assertEquals(List.of(1L), node.asked, "only the sector no local path holds is asked for");
        assertEquals(List.of(), p.skipped());
        assertEquals(Map.of(1L, "node-b"), p.readFrom());
        assertTrue(new PostVerifier(backend).verifyWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, RANDOMNESS,
                records(m, 0, 1), p).valid());
        PartitionProof winning = prover().withRemote(node).proveWinning(SectorSize.KIB_2, 1000, RANDOMNESS,
                randomness(3), new ProvingSector(1, m.entry(1).commR(), null));
        assertEquals(Map.of(1L, "node-b"), winning.readFrom());
        assertEquals(1, winning.sectors().size());
    }

    @Test
    void aSectorNoHolderCanServeIsSkippedWithTheHoldersAnswers() throws Exception {
        Manifest m = pledge(SectorSize.KIB_2, 2);
        RemoteSectors none = (size, kind, miner, sectors, challenges) -> sectors.stream()
                .map(s -> (RemoteSectors.Outcome) new RemoteSectors.Unavailable("node-b (404 does not hold it)")).toList();
        PartitionProof p = prover().withRemote(none).proveWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, 1000, RANDOMNESS,
                List.of(proving(m, 0).get(0), new ProvingSector(1, m.entry(1).commR(), null)));
        assertEquals(1, p.skipped().size());
        assertEquals(1L, p.skipped().get(0).sectorId());
        assertTrue(p.skipped().get(0).reason().contains("not found in any storage path")
                && p.skipped().get(0).reason().contains("node-b (404 does not hold it)"), p.skipped().get(0).reason());
        assertEquals(1, p.proven().size(), "the local sector is still proven");
    }
}
