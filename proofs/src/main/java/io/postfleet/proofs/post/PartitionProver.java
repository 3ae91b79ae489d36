package io.postfleet.proofs.post;

import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.merkle.CachedProofs;
import io.postfleet.proofs.merkle.MerkleProof;
import io.postfleet.proofs.merkle.Node;
import io.postfleet.proofs.merkle.PathRoots;
import io.postfleet.proofs.merkle.TreeShape;
import io.postfleet.proofs.merkle.TreeTop;
import io.postfleet.proofs.post.SectorReader.SectorData;
import io.postfleet.proofs.sector.SectorSize;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;

/**
 * Proves window partitions and winning PoSt from sectors on disk. A partition is proven in one pass: the
 * {@link SectorReader} reads the sectors' files (in parallel, each under a sector time-out, all under a partition
 * time-out), every sector that cannot be proven is set aside with its reason while the others go on, then all
 * challenged replica segments are hashed together through the {@link HashBackend} and every proof is checked against
 * comm_r_last before it is returned.
 */
public final class PartitionProver implements AutoCloseable {

    /** Replica segments hashed per backend batch (32 MiB of 512-leaf segments). */
    static final int SEGMENTS_PER_BATCH = 2048;

    private final HashBackend backend;
    private final ProverSettings settings;
    private final SectorReader reader;
    private volatile RemoteSectors remote;

    /**
     * A prover hashing through {@code backend}. It owns the threads that read sectors: {@link #close} ends them (they
     * are daemons, and idle ones end by themselves, so a prover that is never closed keeps nothing alive).
     */
    public PartitionProver(HashBackend backend, ProverSettings settings) {
        this.backend = backend;
        this.settings = settings;
        this.reader = new SectorReader(settings);
    }

    public HashBackend backend() {
        return backend;
    }

    /**
     * Proves sectors no local path holds through {@code remote} (their holders on other nodes) instead of skipping
     * them; null turns that off.
     */
    public PartitionProver withRemote(RemoteSectors remote) {
        this.remote = remote;
        return this;
    }

    /**
     * Delays each sector's reads by {@code delay.apply(sectorId)}, as slow storage would: tests and fault drills
     * only. The delay counts against the sector time-out like a slow read.
     */
    public PartitionProver withReadDelay(LongFunction<Duration> delay) {
        reader.setReadDelay(delay);
        return this;
    }

    /** Ends the sector read threads, interrupting reads still running; the prover cannot prove afterwards. */
    @Override
    public void close() {
        reader.close();
    }

    /** A window partition 0 (with ApiVersion V1_2 the partition index does not change the challenges). */
    public PartitionProof proveWindow(SectorSize size, ApiVersion api, long minerId, byte[] randomness,
                                      List<ProvingSector> sectors) {
        return proveWindow(size, api, 0, minerId, randomness, sectors);
    }

    /**
     * Proves window partition {@code partitionIndex} over {@code sectors} (at most a partition's worth; any order, they
     * are proven in ascending id). Sectors that cannot be proven are returned as skipped with their reason; the proofs
     * of the others are padded to the partition's sector count by repeating the last, as upstream.
     *
     * <p>Under V1_0 and V1_1 a sector's challenges depend on its position among the proven sectors, so sectors after
     * a skipped one are proven again at their new position; under V1_2 (current proofs) there is exactly one pass.
     */
    public PartitionProof proveWindow(SectorSize size, ApiVersion api, int partitionIndex, long minerId,
                                      byte[] randomness, List<ProvingSector> sectors) {
        int perPartition = size.windowPartitionSectors();
        if (sectors.size() > perPartition) {
            throw new IllegalArgumentException(sectors.size() + " sectors do not fit a " + size + " window partition of "
                    + perPartition);
        }
        List<ProvingSector> sorted = sortedUnique(sectors);
        Map<Long, SkippedSector> skipped = new TreeMap<>();
        Map<Long, FallbackPoStSectorProof> proofs = new HashMap<>();
        Map<Long, String> readFrom = new HashMap<>();
        Map<Long, Long> provenAt = new HashMap<>();
        while (true) {
            List<ProvingSector> survivors = sorted.stream().filter(s -> !skipped.containsKey(s.sectorId())).toList();
            List<ProvingSector> todo = new ArrayList<>();
            List<long[]> challenges = new ArrayList<>();
            for (int i = 0; i < survivors.size(); i++) {
                ProvingSector s = survivors.get(i);
                long sectorIndex = (long) partitionIndex * perPartition + i;
                long key = api == ApiVersion.V1_2 ? 0 : sectorIndex;
                if (!proofs.containsKey(s.sectorId()) || provenAt.get(s.sectorId()) != key) {
                    todo.add(s);
                    challenges.add(ChallengeDeriver.window(size, api, randomness, s.sectorId(), sectorIndex));
                    provenAt.put(s.sectorId(), key);
                }
            }
            if (todo.isEmpty()) {
                break;
            }
            for (SectorOutcome r : proveSectors(size, RemoteSectors.Kind.WINDOW, minerId, todo, challenges)) {
                if (r instanceof SectorOutcome.Proven p) {
                    proofs.put(p.sectorId(), p.proof());
                    if (p.holder() != null) {
                        readFrom.put(p.sectorId(), p.holder());
                    }
                } else {
                    SkippedSector s = (SkippedSector) r;
                    skipped.put(s.sectorId(), s);
                    proofs.remove(s.sectorId());
                }
            }
        }
        List<FallbackPoStSectorProof> ordered = new ArrayList<>();
        for (ProvingSector s : sorted) {
            if (proofs.containsKey(s.sectorId())) {
                ordered.add(proofs.get(s.sectorId()));
            }
        }
        if (!ordered.isEmpty()) {
            FallbackPoStSectorProof last = ordered.get(ordered.size() - 1);
            while (ordered.size() < perPartition) {
                ordered.add(last);
            }
        }
        readFrom.keySet().retainAll(proofs.keySet());
        return new PartitionProof(ordered, new ArrayList<>(skipped.values()), readFrom);
    }

    /**
     * Proves the 66 winning challenges of {@code sector}, the one the caller selected with
     * {@link ChallengeDeriver#winningSectorIndex}. A sector that cannot be proven comes back as skipped (winning PoSt
     * has no fault channel: such a result cannot win).
     */
    public PartitionProof proveWinning(SectorSize size, long minerId, byte[] randomness, byte[] proverId,
                                       ProvingSector sector) {
        if (!Node.isCanonical(proverId)) {
            throw new IllegalArgumentException("prover id must be a canonical 32-byte field element");
        }
        long[] challenges = ChallengeDeriver.winning(size, randomness, sector.sectorId());
        SectorOutcome r = proveSectors(size, RemoteSectors.Kind.WINNING, minerId, List.of(sector), List.of(challenges)).get(0);
        return r instanceof SectorOutcome.Proven p
                ? new PartitionProof(List.of(p.proof()), List.of(),
                        p.holder() == null ? Map.of() : Map.of(p.sectorId(), p.holder()))
                : new PartitionProof(List.of(), List.of((SkippedSector) r));
    }

    /**
     * One sector's vanilla proof for the given leaf challenges, as filecoin-ffi's generate_single_vanilla_proof.
     *
     * @throws SectorFaultException naming the sector and why it cannot be proven
     */
    public FallbackPoStSectorProof vanillaProof(SectorSize size, ProvingSector sector, long[] challenges)
            throws SectorFaultException {
        // a single vanilla proof is what a storage endpoint serves: from local files only, never asked onwards
        SectorOutcome r = proveSectors(size, null, 0, List.of(sector), List.of(challenges)).get(0);
        if (r instanceof SkippedSector s) {
            throw new SectorFaultException(s);
        }
        return ((SectorOutcome.Proven) r).proof();
    }

    private static List<ProvingSector> sortedUnique(List<ProvingSector> sectors) {
        List<ProvingSector> sorted = new ArrayList<>(sectors);
        sorted.sort(Comparator.comparingLong(ProvingSector::sectorId));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).sectorId() == sorted.get(i - 1).sectorId()) {
                throw new IllegalArgumentException("sector " + sorted.get(i).sectorId() + " is listed twice");
            }
        }
        return sorted;
    }

    /**
     * Proves each sector against its challenges; the outcome at each position belongs to the sector there. Sectors no
     * local path holds are asked of their holders for {@code kind} (null: not asked).
     */
    List<SectorOutcome> proveSectors(SectorSize size, RemoteSectors.Kind kind, long minerId,
                                     List<ProvingSector> sectors, List<long[]> challenges) {
        SectorOutcome[] results = new SectorOutcome[sectors.size()];
        SectorData[] reads = new SectorData[sectors.size()];
        List<SectorReader.Outcome> read = reader.readAll(size, sectors, challenges);
        for (int i = 0; i < reads.length; i++) {
            if (read.get(i) instanceof SectorData d) {
                reads[i] = d;
            } else {
                results[i] = (SkippedSector) read.get(i);
            }
        }
        if (kind != null) {
            askRemote(size, kind, minerId, sectors, challenges, results);
        }
        TreeShape shape = size.shape();

        // Tree tops and comm_r: the tree files must agree with p_aux, and p_aux with the chain's comm_r.
        List<Integer> good = new ArrayList<>();
        Map<Integer, TreeTop> tops = new HashMap<>();
        for (int i = 0; i < reads.length; i++) {
            if (reads[i] == null) {
                continue;
            }
            TreeTop top = TreeTop.of(backend, shape, reads[i].baseRoots());
            if (!Arrays.equals(top.root(), reads[i].aux().commRLast())) {
                results[i] = skip(sectors.get(i), "p_aux comm_r_last " + Node.hex(reads[i].aux().commRLast())
                        + " disagrees with the root of the tree files " + Node.hex(top.root())
                        + " in " + sectors.get(i).files().cacheDir());
                continue;
            }
            tops.put(i, top);
            good.add(i);
        }
        if (!good.isEmpty()) {
            byte[] in = new byte[good.size() * 2 * Node.SIZE];
            for (int g = 0; g < good.size(); g++) {
                System.arraycopy(reads[good.get(g)].aux().commC(), 0, in, 2 * g * Node.SIZE, Node.SIZE);
                System.arraycopy(reads[good.get(g)].aux().commRLast(), 0, in, (2 * g + 1) * Node.SIZE, Node.SIZE);
            }
            byte[] commRs = new byte[good.size() * Node.SIZE];
            backend.hashGroups(2, in, 0, good.size(), commRs, 0);
            List<Integer> stillGood = new ArrayList<>();
            for (int g = 0; g < good.size(); g++) {
                int i = good.get(g);
                byte[] expected = sectors.get(i).commR();
                if (!Node.equal(commRs, g * Node.SIZE, expected, 0)) {
                    results[i] = skip(sectors.get(i), "comm_r " + Node.hex(expected) + " is not Poseidon2(comm_c, comm_r_last)"
                            + " of p_aux in " + sectors.get(i).files().cacheDir() + " (" + Node.hex(commRs, g * Node.SIZE)
                            + "): wrong comm_r, or the cache belongs to another sector");
                } else {
                    stillGood.add(i);
                }
            }
            good = stillGood;
        }

        // All challenged segments of all sectors, hashed in batches.
        List<CachedProofs.LeafReads> leaves = new ArrayList<>();
        List<TreeTop> leafTops = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int i : good) {
            for (CachedProofs.LeafReads lr : reads[i].leaves()) {
                leaves.add(lr);
                leafTops.add(tops.get(i));
                owner.add(i);
            }
        }
        List<CachedProofs.Assembled> assembled = assembleInBatches(shape, leaves, leafTops);
        List<MerkleProof> made = new ArrayList<>();
        List<Integer> madeAt = new ArrayList<>();
        for (int x = 0; x < assembled.size(); x++) {
            int i = owner.get(x);
            CachedProofs.Assembled a = assembled.get(x);
            if (results[i] != null) {
                continue;
            }
            if (a.proof() == null) {
                results[i] = skip(sectors.get(i), a.fault());
            } else {
                made.add(a.proof());
                madeAt.add(x);
            }
        }
        // Every proof must lead to comm_r_last: a corrupt tree file shows here.
        byte[][] roots = PathRoots.compute(backend, made);
        for (int m = 0; m < made.size(); m++) {
            int x = madeAt.get(m);
            int i = owner.get(x);
            long leaf = leaves.get(x).leaf();
            if (results[i] == null && (!Arrays.equals(roots[m], reads[i].aux().commRLast()) || made.get(m).pathIndex() != leaf)) {
                results[i] = skip(sectors.get(i), "the inclusion proof of leaf " + leaf + " does not lead to comm_r_last"
                        + " (corrupt tree file in " + sectors.get(i).files().cacheDir() + ")");
            }
        }
        Map<Integer, List<MerkleProof>> bySector = new LinkedHashMap<>();
        for (int m = 0; m < made.size(); m++) {
            bySector.computeIfAbsent(owner.get(madeAt.get(m)), k -> new ArrayList<>()).add(made.get(m));
        }
        for (int i : good) {
            if (results[i] == null) {
                SectorData r = reads[i];
                results[i] = new SectorOutcome.Proven(new FallbackPoStSectorProof(r.sector().sectorId(),
                        r.sector().commR(), new SectorProof(bySector.get(i), r.aux().commC(), r.aux().commRLast())));
            }
        }
        return List.of(results);
    }

    /** Sectors no local path holds, asked of their holders when a {@link RemoteSectors} is set. */
    private void askRemote(SectorSize size, RemoteSectors.Kind kind, long minerId, List<ProvingSector> sectors,
                           List<long[]> challenges, SectorOutcome[] results) {
        RemoteSectors r = remote;
        if (r == null) {
            return;
        }
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < sectors.size(); i++) {
            if (sectors.get(i).files() == null) {
                at.add(i);
            }
        }
        if (at.isEmpty()) {
            return;
        }
        List<RemoteSectors.Outcome> got = r.prove(size, kind, minerId, at.stream().map(sectors::get).toList(),
                at.stream().map(challenges::get).toList());
        for (int k = 0; k < at.size(); k++) {
            int i = at.get(k);
            if (got.get(k) instanceof RemoteSectors.Read read) {
                results[i] = new SectorOutcome.Proven(read.proof(), read.holder());
            } else {
                results[i] = skip(sectors.get(i), "not found in any storage path, and "
                        + ((RemoteSectors.Unavailable) got.get(k)).reason());
            }
        }
    }

    private List<CachedProofs.Assembled> assembleInBatches(TreeShape shape, List<CachedProofs.LeafReads> leaves,
                                                           List<TreeTop> tops) {
        int n = leaves.size();
        if (n == 0) {
            return List.of();
        }
        int threads = Math.max(1, settings.threads());
        int batch = Math.max(1, Math.min(SEGMENTS_PER_BATCH, (n + threads - 1) / threads));
        List<int[]> ranges = new ArrayList<>();
        for (int from = 0; from < n; from += batch) {
            ranges.add(new int[] {from, Math.min(n, from + batch)});
        }
        if (ranges.size() == 1 || threads == 1) {
            List<CachedProofs.Assembled> out = new ArrayList<>(n);
            for (int[] r : ranges) {
                out.addAll(CachedProofs.assemble(backend, shape, leaves.subList(r[0], r[1]), tops.subList(r[0], r[1])));
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, ranges.size()),
                new DaemonThreadFactory("post-hash"));
        try {
            List<Future<List<CachedProofs.Assembled>>> futures = new ArrayList<>();
            for (int[] r : ranges) {
                futures.add(pool.submit(() -> CachedProofs.assemble(backend, shape, leaves.subList(r[0], r[1]),
                        tops.subList(r[0], r[1]))));
            }
            List<CachedProofs.Assembled> out = new ArrayList<>(n);
            for (Future<List<CachedProofs.Assembled>> f : futures) {
                out.addAll(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing proofs", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static SkippedSector skip(ProvingSector s, String reason) {
        return new SkippedSector(s.sectorId(), reason);
    }
}
