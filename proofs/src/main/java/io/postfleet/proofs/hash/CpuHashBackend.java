package io.postfleet.proofs.hash;

import io.postfleet.proofs.field.Fr;
import io.postfleet.proofs.poseidon.Poseidon;
import io.postfleet.proofs.poseidon.PoseidonParameters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Poseidon on the CPU: the Java path ({@link Poseidon}, the reference every other backend must equal) or a path of
 * the native library ({@link NativePoseidon}). Large requests are split into contiguous parts hashed on up to
 * {@code threads} threads (a small pool owned by this backend, released by {@link #close()}); small ones run on the
 * caller's thread.
 */
public final class CpuHashBackend implements HashBackend {

    /** Hashes one contiguous part; {@code firstGroup} numbers its groups in errors. */
    @FunctionalInterface
    private interface PartHasher {
        void hash(int arity, byte[] in, int inOff, int count, byte[] out, int outOff, long firstGroup);
    }

    /** Below this many groups per thread, splitting costs more than it saves. */
    private static final int MIN_GROUPS_PER_THREAD = 256;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final String description;
    private final Optional<NativePath> nativePath;
    private final PartHasher hasher;
    private final int threads;
    private volatile ExecutorService pool;

    /** The Java path on every available core. */
    public CpuHashBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * The Java path on up to {@code threads} threads for large requests.
     *
     * @throws IllegalArgumentException when {@code threads < 1}
     */
    public CpuHashBackend(int threads) {
        this("java", Optional.empty(), (arity, in, inOff, count, out, outOff, first) ->
                Poseidon.forArity(arity).hashGroups(in, inOff, count, out, outOff, first), threads);
    }

    private CpuHashBackend(String description, Optional<NativePath> nativePath, PartHasher hasher, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("CPU hash threads must be at least 1, got " + threads);
        }
        this.description = description;
        this.nativePath = nativePath;
        this.hasher = hasher;
        this.threads = threads;
    }

    /**
     * The native library's {@code path} on up to {@code threads} threads.
     *
     * @throws IllegalArgumentException when this CPU cannot run {@code path}, or {@code threads < 1}
     */
    public static CpuHashBackend nativePath(NativePoseidon library, NativePath path, int threads) {
        if (!library.paths().contains(path)) {
            throw new IllegalArgumentException("this CPU cannot run the native " + path + " path; it runs "
                    + library.paths());
        }
        return new CpuHashBackend("native " + path.label(), Optional.of(path),
                (arity, in, inOff, count, out, outOff, first) -> {
                    // JNA hands the library a copy of each array and copies it back whole: concurrent parts, or
                    // output over input, must each get arrays of their own
                    byte[] part = Arrays.copyOfRange(in, inOff, inOff + count * arity * Fr.BYTES);
                    byte[] digests = new byte[count * Fr.BYTES];
                    library.hash(path, arity, part, 0, count, digests, 0, first);
                    System.arraycopy(digests, 0, out, outOff, digests.length);
                }, threads);
    }

    /** The native library's fastest path on every available core. */
    public static CpuHashBackend nativeBest(NativePoseidon library) {
        return nativePath(library, library.best(), Runtime.getRuntime().availableProcessors());
    }

    /** The native path this backend runs; empty for the Java path. */
    public Optional<NativePath> nativePath() {
        return nativePath;
    }

    /** Threads a large request may use. */
    public int threads() {
        return threads;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void hashGroups(int arity, byte[] in, int inOff, int count, byte[] out, int outOff) {
        if (!PoseidonParameters.ARITIES.contains(arity)) {
            throw new IllegalArgumentException("no Poseidon of arity " + arity + "; arities are "
                    + PoseidonParameters.ARITIES);
        }
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        if (count < 0) {
            throw new IllegalArgumentException("negative group count " + count);
        }
        long groupBytes = (long) arity * Fr.BYTES;
        if (inOff < 0 || inOff + groupBytes * count > in.length) {
            throw new IllegalArgumentException(count + " groups of arity " + arity + " at offset " + inOff
                    + " do not fit the " + in.length + "-byte input");
        }
        if (outOff < 0 || outOff + (long) Fr.BYTES * count > out.length) {
            throw new IllegalArgumentException(count + " digests at offset " + outOff + " do not fit the "
                    + out.length + "-byte output");
        }
        int parts = Math.min(threads, count / MIN_GROUPS_PER_THREAD);
        // in-place use (out overlapping in) must stay sequential: a later part could overwrite input of an earlier one
        if (parts <= 1 || (in == out && overlaps(inOff, groupBytes * count, outOff, (long) Fr.BYTES * count))) {
            hasher.hash(arity, in, inOff, count, out, outOff, 0);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(parts);
        ExecutorService executor = pool();
        for (int k = 0; k < parts; k++) {
            int first = (int) ((long) count * k / parts);
            int end = (int) ((long) count * (k + 1) / parts);
            futures.add(executor.submit(() -> hasher.hash(arity, in, (int) (inOff + groupBytes * first), end - first,
                    out, outOff + first * Fr.BYTES, first)));
        }
        RuntimeException failure = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                // the lowest failing part wins, so the message names the first bad group
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(x -> x.cancel(true));
                throw new IllegalStateException("interrupted while hashing " + count + " groups", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static boolean overlaps(long aOff, long aLen, long bOff, long bLen) {
        return aOff < bOff + bLen && bOff < aOff + aLen;
    }

    private ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (this) {
                p = pool;
                if (p == null) {
                    int id = POOLS.incrementAndGet();
                    AtomicInteger n = new AtomicInteger();
                    ThreadFactory factory = r -> {
                        Thread th = new Thread(r, "poseidon-cpu-" + id + "-" + n.incrementAndGet());
                        th.setDaemon(true);
                        return th;
                    };
                    p = Executors.newFixedThreadPool(threads, factory);
                    pool = p;
                }
            }
        }
        return p;
    }

    @Override
    public synchronized void close() {
        ExecutorService p = pool;
        pool = null;
        if (p != null) {
            p.shutdownNow();
        }
    }
}
