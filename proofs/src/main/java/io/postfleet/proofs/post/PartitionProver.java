package io.postfleet.proofs.post;

import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.merkle.CachedProofs;
import io.postfleet.proofs.merkle.MerkleProof;
import io.postfleet.proofs.merkle.Node;
import io.postfleet.proofs.merkle.PathRoots;
import io.postfleet.proofs.merkle.TreeCacheFile;
import io.postfleet.proofs.merkle.TreeShape;
import io.postfleet.proofs.merkle.TreeTop;
import io.postfleet.proofs.sector.PersistentAux;
import io.postfleet.proofs.sector.SectorFiles;
import io.postfleet.proofs.sector.SectorSize;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Proves window partitions and winning PoSt from sectors on disk. A partition is proven in one pass: the sectors'
 * files are read in parallel (bounded, each read under a sector time-out, all under a partition time-out), every
 * sector that cannot be proven is set aside with its reason while the others go on, then all challenged replica
 * segments are hashed together through the {@link HashBackend} and every proof is checked against comm_r_last before
 * it is returned.
 */
public final class PartitionProver {

    /** Replica segments hashed per backend batch (32 MiB of 512-leaf segments). */
    static final int SEGMENTS_PER_BATCH = 2048;

    private final HashBackend backend;
    private final ProverSettings settings;
    /** A pause before reading a sector, by sector id: lets tests stand in for slow storage. */
    private volatile java.util.function.LongFunction<Duration> readDelay = id -> Duration.ZERO;

    public PartitionProver(HashBackend backend, ProverSettings settings) {
        this.backend = backend;
        this.settings = settings;
    }

    public HashBackend backend() {
        return backend;
    }

    /** Delays each sector's reads by {@code delay.apply(sectorId)}, as slow storage would (tests). */
    PartitionProver withReadDelay(java.util.function.LongFunction<Duration> delay) {
        this.readDelay = delay;
        return this;
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
            List<Object> results = proveSectors(size, todo, challenges);
            for (Object r : results) {
                if (r instanceof FallbackPoStSectorProof p) {
                    proofs.put(p.sectorId(), p);
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
        return new PartitionProof(ordered, new ArrayList<>(skipped.values()));
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
        Object r = proveSectors(size, List.of(sector), List.of(challenges)).get(0);
        return r instanceof FallbackPoStSectorProof p
                ? new PartitionProof(List.of(p), List.of())
                : new PartitionProof(List.of(), List.of((SkippedSector) r));
    }

    /**
     * One sector's vanilla proof for the given leaf challenges, as filecoin-ffi's generate_single_vanilla_proof.
     *
     * @throws SectorFaultException naming the sector and why it cannot be proven
     */
    public FallbackPoStSectorProof vanillaProof(SectorSize size, ProvingSector sector, long[] challenges)
            throws SectorFaultException {
        Object r = proveSectors(size, List.of(sector), List.of(challenges)).get(0);
        if (r instanceof SkippedSector s) {
            throw new SectorFaultException(s);
        }
        return (FallbackPoStSectorProof) r;
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

    /** What was read from disk for one sector. */
    private record SectorRead(ProvingSector sector, PersistentAux aux, List<byte[]> baseRoots,
                              List<CachedProofs.LeafReads> leaves) {
    }

    /** Proves each sector against its challenges; the result at each position is a proof or a SkippedSector. */
    List<Object> proveSectors(SectorSize size, List<ProvingSector> sectors, List<long[]> challenges) {
        Object[] results = new Object[sectors.size()];
        SectorRead[] reads = readAll(size, sectors, challenges, results);
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
                SectorRead r = reads[i];
                results[i] = new FallbackPoStSectorProof(r.sector().sectorId(), r.sector().commR(),
                        new SectorProof(bySector.get(i), r.aux().commC(), r.aux().commRLast()));
            }
        }
        return Arrays.asList(results);
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
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, ranges.size()), daemon("post-hash"));
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

    /** Reads every sector in parallel; a sector that fails or times out gets its SkippedSector in results. */
    private SectorRead[] readAll(SectorSize size, List<ProvingSector> sectors, List<long[]> challenges, Object[] results) {
        SectorRead[] reads = new SectorRead[sectors.size()];
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(settings.parallelReads(), Math.max(1, sectors.size())),
                daemon("post-read"));
        ExecutorCompletionService<SectorRead> done = new ExecutorCompletionService<>(pool);
        Map<Future<SectorRead>, Integer> index = new HashMap<>();
        Map<Future<SectorRead>, AtomicLong> started = new HashMap<>();
        try {
            for (int i = 0; i < sectors.size(); i++) {
                ProvingSector s = sectors.get(i);
                long[] c = challenges.get(i);
                AtomicLong start = new AtomicLong();
                java.util.function.LongFunction<Duration> delay = readDelay;
                Callable<SectorRead> task = () -> {
                    start.set(System.nanoTime());
                    Duration d = delay.apply(s.sectorId());
                    if (!d.isZero()) {
                        Thread.sleep(d.toMillis());
                    }
                    return read(size, s, c);
                };
                Future<SectorRead> f = done.submit(task);
                index.put(f, i);
                started.put(f, start);
            }
            long partitionDeadline = System.nanoTime() + settings.partitionTimeout().toNanos();
            long sectorTimeout = settings.sectorTimeout().toNanos();
            while (!index.isEmpty()) {
                long now = System.nanoTime();
                long wake = partitionDeadline;
                for (Map.Entry<Future<SectorRead>, AtomicLong> e : new ArrayList<>(started.entrySet())) {
                    long st = e.getValue().get();
                    if (st != 0 && !e.getKey().isDone()) {
                        if (now - st >= sectorTimeout) {
                            int i = index.remove(e.getKey());
                            started.remove(e.getKey());
                            e.getKey().cancel(true);
                            results[i] = skip(sectors.get(i), "reading the sector's files took longer than the sector"
                                    + " time-out of " + human(settings.sectorTimeout()) + " (slow or hung storage)");
                        } else {
                            wake = Math.min(wake, st + sectorTimeout);
                        }
                    }
                }
                if (index.isEmpty()) {
                    break;
                }
                if (now >= partitionDeadline) {
                    for (Map.Entry<Future<SectorRead>, Integer> e : index.entrySet()) {
                        e.getKey().cancel(true);
                        results[e.getValue()] = skip(sectors.get(e.getValue()), "the partition time-out of "
                                + human(settings.partitionTimeout()) + " passed before the sector's files were read");
                    }
                    index.clear();
                    break;
                }
                // Wake at the next deadline; tasks not yet started have none, so also look again every 50 ms.
                long waitNanos = Math.max(1, Math.min(wake - now, TimeUnit.MILLISECONDS.toNanos(50)));
                Future<SectorRead> f = done.poll(waitNanos, TimeUnit.NANOSECONDS);
                if (f == null || !index.containsKey(f)) {
                    continue;
                }
                int i = index.remove(f);
                started.remove(f);
                try {
                    reads[i] = f.get();
                } catch (ExecutionException e) {
                    results[i] = skip(sectors.get(i), reason(e.getCause()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading sectors", e);
        } finally {
            pool.shutdownNow();
        }
        return reads;
    }

    /** Reads what the proofs of one sector need; every problem is an exception whose message is the skip reason. */
    private static SectorRead read(SectorSize size, ProvingSector s, long[] challenges) throws Exception {
        SectorFiles files = s.files();
        if (files == null) {
            throw new SectorProblem("not found in any storage path");
        }
        if (!Node.isCanonical(s.commR()) || Arrays.equals(s.commR(), new byte[Node.SIZE])) {
            throw new SectorProblem("comm_r is not a canonical non-zero field element");
        }
        if (!Files.isRegularFile(files.sealed())) {
            throw new SectorProblem("replica " + files.sealed() + " is missing");
        }
        if (!Files.isDirectory(files.cacheDir())) {
            throw new SectorProblem("cache directory " + files.cacheDir() + " is missing");
        }
        TreeShape shape = size.shape();
        PersistentAux aux = PersistentAux.read(files.pAux());
        TreeCacheFile[] trees = new TreeCacheFile[shape.baseTreeCount()];
        try (FileChannel replica = FileChannel.open(files.sealed(), StandardOpenOption.READ)) {
            long bytes = replica.size();
            if (bytes != size.bytes()) {
                throw new SectorProblem("replica " + files.sealed() + " has " + bytes + " bytes, expected " + size.bytes()
                        + " for a " + size + " sector (truncated or wrong size)");
            }
            for (int k = 0; k < trees.length; k++) {
                trees[k] = TreeCacheFile.open(files.treeFile(shape, k), shape);
            }
            List<byte[]> roots = new ArrayList<>();
            for (TreeCacheFile t : trees) {
                roots.add(t.root());
            }
            List<CachedProofs.LeafReads> leaves = new ArrayList<>(challenges.length);
            for (long c : challenges) {
                leaves.add(CachedProofs.read(shape, replica, files.sealed(), trees, c));
            }
            return new SectorRead(s, aux, roots, leaves);
        } finally {
            for (TreeCacheFile t : trees) {
                if (t != null) {
                    t.close();
                }
            }
        }
    }

    /** A read problem whose message is the whole reason. */
    private static final class SectorProblem extends Exception {
        SectorProblem(String message) {
            super(message, null, false, false);
        }
    }

    private static String reason(Throwable t) {
        if (t instanceof SectorProblem) {
            return t.getMessage();
        }
        if (t instanceof NoSuchFileException e) {
            return (e.getReason() != null ? e.getReason() : "file missing") + ": " + e.getFile();
        }
        if (t instanceof ClosedByInterruptException) {
            return "read interrupted";
        }
        if (t instanceof IOException || t instanceof IllegalArgumentException) {
            return t.getMessage();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static SkippedSector skip(ProvingSector s, String reason) {
        return new SkippedSector(s.sectorId(), reason);
    }

    private static String human(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
