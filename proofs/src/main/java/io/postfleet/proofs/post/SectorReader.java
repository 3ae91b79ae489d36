package io.postfleet.proofs.post;

import io.postfleet.proofs.merkle.CachedProofs;
import io.postfleet.proofs.merkle.Node;
import io.postfleet.proofs.merkle.TreeCacheFile;
import io.postfleet.proofs.merkle.TreeShape;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Reads what the proofs of a set of sectors need from their files: p_aux, the roots of the tree_r_last files and, for
 * every challenge, the replica segment and cached tree nodes. Sectors are read in parallel, at most
 * {@link ProverSettings#parallelReads} at a time per call, each under the sector time-out and all under the partition
 * time-out; a sector that cannot be read is set aside with its reason while the others go on.
 *
 * <p>The threads come from one pool that lives as long as the reader. It starts threads as calls need them instead of
 * holding a fixed number for all calls: concurrent calls each get their own {@code parallelReads} threads, and a read
 * stuck in storage past its time-out (a thread that does not answer the interrupt) cannot take a thread away from the
 * partitions after it. Idle threads end after a minute.
 */
final class SectorReader implements AutoCloseable {

    /** What reading one sector gave: what its proofs need, or why it is skipped. */
    sealed interface Outcome permits SectorData, SkippedSector {
    }

    /** What was read from disk for one sector: p_aux, the roots of its base trees and one entry per challenge. */
    record SectorData(ProvingSector sector, PersistentAux aux, List<byte[]> baseRoots,
                      List<CachedProofs.LeafReads> leaves) implements Outcome {
    }

    /** How long an idle read thread waits for the next read before it ends. */
    private static final long IDLE_THREAD_SECONDS = 60;
    /** Longest the wait for a read goes without looking again at time-outs and threads handed back. */
    private static final long LOOK_AGAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final ProverSettings settings;
    private final ExecutorService pool;
    /** A pause before reading a sector, by sector id: lets tests stand in for slow storage. */
    private volatile LongFunction<Duration> readDelay = id -> Duration.ZERO;

    SectorReader(ProverSettings settings) {
        this.settings = settings;
        // no queue: a read is handed to an idle thread or to a new one, never made to wait behind another call's
        this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new DaemonThreadFactory("post-read"));
    }

    /** Delays each sector's reads by {@code delay.apply(sectorId)}, as slow storage would (tests). */
    void setReadDelay(LongFunction<Duration> delay) {
        this.readDelay = delay;
    }

    /**
     * Reads every sector; the outcome at each position belongs to the sector at that position.
     *
     * @throws IllegalStateException when the reader is closed or the calling thread is interrupted
     */
    List<Outcome> readAll(SectorSize size, List<ProvingSector> sectors, List<long[]> challenges) {
        if (pool.isShutdown()) {
            throw new IllegalStateException("the prover is closed: it cannot read sectors any more");
        }
        int n = sectors.size();
        Outcome[] outcomes = new Outcome[n];
        // This call's share of the pool, counted until each read's thread is back, whether the read was cancelled
        // or not: the same bound a fixed pool of this many threads per call would give.
        int threads = Math.min(settings.parallelReads(), Math.max(1, n));
        AtomicInteger busy = new AtomicInteger();
        ExecutorCompletionService<SectorData> done = new ExecutorCompletionService<>(pool);
        Map<Future<SectorData>, Integer> index = new HashMap<>();
        Map<Future<SectorData>, AtomicLong> started = new HashMap<>();
        LongFunction<Duration> delay = readDelay;
        int next = 0;
        try {
            long partitionDeadline = System.nanoTime() + settings.partitionTimeout().toNanos();
            long sectorTimeout = settings.sectorTimeout().toNanos();
            while (next < n || !index.isEmpty()) {
                while (next < n && busy.get() < threads) {
                    int i = next++;
                    ProvingSector s = sectors.get(i);
                    long[] c = challenges.get(i);
                    AtomicLong start = new AtomicLong();
                    Callable<SectorData> task = () -> {
                        try {
                            start.set(System.nanoTime());
                            Duration d = delay.apply(s.sectorId());
                            if (!d.isZero()) {
                                Thread.sleep(d.toMillis());
                            }
                            return read(size, s, c);
                        } finally {
                            busy.decrementAndGet();
                        }
                    };
                    busy.incrementAndGet();
                    Future<SectorData> f = done.submit(task);
                    index.put(f, i);
                    started.put(f, start);
                }
                long now = System.nanoTime();
                long wake = partitionDeadline;
                for (Map.Entry<Future<SectorData>, AtomicLong> e : new ArrayList<>(started.entrySet())) {
                    long st = e.getValue().get();
                    if (st != 0 && !e.getKey().isDone()) {
                        if (now - st >= sectorTimeout) {
                            int i = index.remove(e.getKey());
                            started.remove(e.getKey());
                            e.getKey().cancel(true);
                            outcomes[i] = skip(sectors.get(i), "reading the sector's files took longer than the sector"
                                    + " time-out of " + human(settings.sectorTimeout()) + " (slow or hung storage)");
                        } else {
                            wake = Math.min(wake, st + sectorTimeout);
                        }
                    }
                }
                if (next >= n && index.isEmpty()) {
                    break;
                }
                if (now >= partitionDeadline) {
                    for (Map.Entry<Future<SectorData>, Integer> e : index.entrySet()) {
                        e.getKey().cancel(true);
                        outcomes[e.getValue()] = partitionTimedOut(sectors.get(e.getValue()));
                    }
                    index.clear();
                    for (; next < n; next++) {
                        outcomes[next] = partitionTimedOut(sectors.get(next));
                    }
                    break;
                }
                // Wake at the next deadline; reads not yet started have none, and a cancelled read hands its thread
                // back without a result, so also look again every 50 ms.
                long waitNanos = Math.max(1, Math.min(wake - now, LOOK_AGAIN_NANOS));
                Future<SectorData> f = done.poll(waitNanos, TimeUnit.NANOSECONDS);
                if (f == null || !index.containsKey(f)) {
                    continue;
                }
                int i = index.remove(f);
                started.remove(f);
                try {
                    outcomes[i] = f.get();
                } catch (ExecutionException e) {
                    outcomes[i] = skip(sectors.get(i), reason(e.getCause()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading sectors", e);
        } finally {
            for (Future<SectorData> f : index.keySet()) {
                f.cancel(true);
            }
        }
        return List.of(outcomes);
    }

    /** Ends the read threads, interrupting reads still running; later reads are refused. */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    private SkippedSector partitionTimedOut(ProvingSector s) {
        return skip(s, "the partition time-out of " + human(settings.partitionTimeout())
                + " passed before the sector's files were read");
    }

    /** Reads what the proofs of one sector need; every problem is an exception whose message is the skip reason. */
    private static SectorData read(SectorSize size, ProvingSector s, long[] challenges) throws Exception {
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
            return new SectorData(s, aux, roots, leaves);
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
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
