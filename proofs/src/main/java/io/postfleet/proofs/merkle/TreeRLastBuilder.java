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

    public TreeRLastBuilder(HashBackend backend) {
        this.backend = backend;
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
        int chunkLeaves = (int) Math.min(baseLeaves, CHUNK_LEAVES);
        int levelsInChunk = shape.firstCachedRow();
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
            byte[] rows = backend.hashLevels(shape.baseArity(), leaves, 0, chunkLeaves, levelsInChunk);
            int lowest = chunkLeaves / segment;
            System.arraycopy(rows, rows.length - lowest * Node.SIZE, cache, Math.toIntExact(c * lowest * Node.SIZE),
                    lowest * Node.SIZE);
        }
        int upperLevels = shape.baseRowCount() - 1 - shape.firstCachedRow();
        if (upperLevels > 0) {
            byte[] upper = backend.hashLevels(shape.baseArity(), cache, 0, lowestWidth, upperLevels);
            System.arraycopy(upper, 0, cache, Math.toIntExact(lowestWidth * Node.SIZE), upper.length);
        }
        return cache;
    }

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
