package io.postfleet.proofs.merkle;

import io.postfleet.proofs.hash.HashBackend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Builds tree_r_last over a sealed replica and writes its LevelCache files, as upstream does after sealing: the
 * replica's nodes are the leaves, each base tree's rows above the discarded ones are stored, and the base roots are
 * joined by the sub and top layers into comm_r_last. Hashing goes through a {@link HashBackend}; the replica is
 * streamed in chunks, the next chunk read while the current one is hashed, so a base tree larger than memory works.
 */
public final class TreeRLastBuilder {

    /** Leaves hashed per backend call: 8 MiB of replica, a multiple of every segment width. */
    static final int CHUNK_LEAVES = 1 << 18;

    private final HashBackend backend;
    private final int threads;
    private final int chunkLimit;

    /** A builder hashing on {@link #defaultThreads(HashBackend)} threads. */
    public TreeRLastBuilder(HashBackend backend) {
        this(backend, defaultThreads(backend));
    }

    /** A builder splitting each chunk over {@code threads} concurrent backend calls (independent subtrees). */
    public TreeRLastBuilder(HashBackend backend, int threads) {
        this(backend, threads, CHUNK_LEAVES);
    }

    /** With a smaller chunk, so tests cover base trees streamed in several chunks (as 32GiB ones are). */
    TreeRLastBuilder(HashBackend backend, int threads, int chunkLimit) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.backend = backend;
        this.threads = threads;
        this.chunkLimit = chunkLimit;
    }

    /**
     * One caller: the CPU backend already spreads a large call over its threads, and device backends do better with
     * one large batch than with several small ones.
     */
    public static int defaultThreads(HashBackend backend) {
        return 1;
    }

    /** The result of a build: comm_r_last and the base-tree roots in order. */
    public record Built(byte[] commRLast, List<byte[]> baseRoots) {
    }

    /**
     * Builds the tree of {@code shape} over {@code replica} and writes the cache files into {@code cacheDir}.
     *
     * @throws IOException naming the replica when it cannot be read or has the wrong size
     * @throws IllegalArgumentException naming the replica node when one is not canonical
     */
    public Built build(TreeShape shape, Path replica, Path cacheDir) throws IOException {
        long expected = shape.leaves() * Node.SIZE;
        long size = Files.size(replica);
        if (size != expected) {
            throw new IOException("replica " + replica + " has " + size + " bytes, expected " + expected
                    + " for a tree of " + shape.leaves() + " leaves");
        }
        Files.createDirectories(cacheDir);
        List<byte[]> roots = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(replica, StandardOpenOption.READ)) {
            for (int k = 0; k < shape.baseTreeCount(); k++) {
                byte[] cache = buildBaseTree(shape, ch, replica, k);
                Path file = cacheDir.resolve(shape.treeFileName(k));
                Files.write(file, cache);
                roots.add(Node.copy(cache, cache.length - Node.SIZE));
            }
        }
        return new Built(joinRoots(backend, shape, roots), roots);
    }

    /** comm_r_last from the base roots: the roots themselves (8-0-0), Poseidon of the sub groups, then the top. */
    public static byte[] joinRoots(HashBackend backend, TreeShape shape, List<byte[]> baseRoots) {
        if (shape.subArity() == 0) {
            return baseRoots.get(0);
        }
        List<byte[]> subRoots = new ArrayList<>();
        for (int s = 0; s < baseRoots.size(); s += shape.subArity()) {
            byte[] in = new byte[shape.subArity() * Node.SIZE];
            for (int i = 0; i < shape.subArity(); i++) {
                System.arraycopy(baseRoots.get(s + i), 0, in, i * Node.SIZE, Node.SIZE);
            }
            subRoots.add(PathRoots.hash(backend, shape.subArity(), in));
        }
        if (shape.topArity() == 0) {
            return subRoots.get(0);
        }
        byte[] in = new byte[shape.topArity() * Node.SIZE];
        for (int i = 0; i < shape.topArity(); i++) {
            System.arraycopy(subRoots.get(i), 0, in, i * Node.SIZE, Node.SIZE);
        }
        return PathRoots.hash(backend, shape.topArity(), in);
    }

    private byte[] buildBaseTree(TreeShape shape, FileChannel ch, Path replica, int k) throws IOException {
        long baseLeaves = shape.baseLeaves();
        int chunkLeaves = (int) Math.min(baseLeaves, Math.max(chunkLimit, shape.segmentWidth()));
        int segment = shape.segmentWidth();
        long lowestWidth = shape.rowWidth(shape.firstCachedRow());
        byte[] cache = new byte[Math.toIntExact(shape.cacheFileBytes())];
        long baseOffset = k * baseLeaves * Node.SIZE;
        long chunks = baseLeaves / chunkLeaves;
        CompletableFuture<byte[]> next = readChunk(ch, replica, baseOffset, chunkLeaves);
        for (long c = 0; c < chunks; c++) {
            byte[] leaves = join(next);
            if (c + 1 < chunks) {
                next = readChunk(ch, replica, baseOffset + (c + 1) * (long) chunkLeaves * Node.SIZE, chunkLeaves);
            }
            long bad = Node.firstNonCanonical(leaves, 0, chunkLeaves);
            if (bad >= 0) {
                throw new IllegalArgumentException("replica " + replica + " node " + (k * baseLeaves + c * chunkLeaves + bad)
                        + " is not a canonical field element: not a sealed replica, or corrupt");
            }
            hashChunk(shape, leaves, chunkLeaves, cache, Math.toIntExact(c * (chunkLeaves / segment) * Node.SIZE));
        }
        int upperLevels = shape.baseRowCount() - 1 - shape.firstCachedRow();
        if (upperLevels > 0) {
            byte[] upper = backend.hashLevels(shape.baseArity(), cache, 0, lowestWidth, upperLevels);
            System.arraycopy(upper, 0, cache, Math.toIntExact(lowestWidth * Node.SIZE), upper.length);
        }
        return cache;
    }

    /**
     * Hashes a chunk of leaves up to the first cached row and writes that row to {@code cache} at {@code cacheOff}.
     * Segment-aligned parts of the chunk are independent subtrees, so they are hashed concurrently.
     */
    private void hashChunk(TreeShape shape, byte[] leaves, int chunkLeaves, byte[] cache, int cacheOff) {
        int segment = shape.segmentWidth();
        int levels = shape.firstCachedRow();
        int segments = chunkLeaves / segment;
        int parts = Math.min(threads, segments);
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int firstSeg = (int) ((long) segments * p / parts);
            int endSeg = (int) ((long) segments * (p + 1) / parts);
            Runnable work = () -> {
                byte[] rows = backend.hashLevels(shape.baseArity(), leaves, firstSeg * segment * Node.SIZE,
                        (long) (endSeg - firstSeg) * segment, levels);
                int lowest = (endSeg - firstSeg) * Node.SIZE;
                System.arraycopy(rows, rows.length - lowest, cache, cacheOff + firstSeg * Node.SIZE, lowest);
            };
            if (parts == 1) {
                work.run();
            } else {
                running.add(CompletableFuture.runAsync(work, POOL));
            }
        }
        for (CompletableFuture<Void> f : running) {
            f.join();
        }
    }

    /** Daemon threads for the concurrent parts of a chunk (the common pool may be smaller than the core count). */
    private static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tree-r-last-hash");
        t.setDaemon(true);
        return t;
    });

    private static CompletableFuture<byte[]> readChunk(FileChannel ch, Path replica, long pos, int leaves) {
        return CompletableFuture.supplyAsync(() -> {
            byte[] b = new byte[leaves * Node.SIZE];
            try {
                TreeCacheFile.readFully(ch, pos, b, replica);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return b;
        });
    }

    private static byte[] join(CompletableFuture<byte[]> f) throws IOException {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw e;
        }
    }
}
