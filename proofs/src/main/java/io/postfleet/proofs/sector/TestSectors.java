package io.postfleet.proofs.sector;

import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.merkle.Node;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Writes test sectors in the Lotus layout of a storage path: a replica of random canonical nodes (what sealing would
 * produce, without the sealing), its tree_r_last files and p_aux with a random comm_c, and a manifest listing them.
 * Proofs over them are real proofs; only the replica content is not derived from data.
 */
public final class TestSectors {

    private final HashBackend backend;

    public TestSectors(HashBackend backend) {
        this.backend = backend;
    }

    /**
     * Writes {@code count} sectors numbered from {@code firstId} under {@code dir} and {@code dir/manifest.json}.
     *
     * @param updated  write them as upgraded sectors ({@code update/}, {@code update-cache/})
     * @param progress called with the number of sectors written so far
     */
    public Manifest pledge(Path dir, SectorSize size, long minerId, int count, long firstId, long seed, boolean updated,
                           IntConsumer progress) throws IOException {
        List<Manifest.Entry> entries = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        SectorTree tree = new SectorTree(backend);
        Path root = dir.toAbsolutePath();
        for (int i = 0; i < count; i++) {
            long id = firstId + i;
            SectorFiles f = SectorFiles.inStoragePath(root, minerId, id, updated);
            Files.createDirectories(f.sealed().getParent());
            Files.createDirectories(f.cacheDir());
            writeReplica(f.sealed(), size.bytes(), random.split());
            byte[] commC = randomNode(random);
            SectorCommitments c = tree.build(size, f.sealed(), f.cacheDir(), commC);
            entries.add(new Manifest.Entry(id, size, c.commC(), c.commRLast(), c.commR(), updated,
                    root.relativize(f.sealed()).toString(), root.relativize(f.cacheDir()).toString()));
            progress.accept(i + 1);
        }
        Manifest m = new Manifest(root, minerId, size, entries);
        m.write();
        return m;
    }

    /** A canonical node: 254 random bits (top two bits clear, so below p). */
    public static byte[] randomNode(SplittableRandom random) {
        byte[] b = new byte[Node.SIZE];
        fill(random, b, 0, Node.SIZE);
        b[Node.SIZE - 1] &= 0x3f;
        return b;
    }

    /** Writes {@code bytes} of random canonical nodes. */
    public static void writeReplica(Path file, long bytes, SplittableRandom random) throws IOException {
        byte[] buf = new byte[(int) Math.min(bytes, 1 << 22)];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long done = 0; done < bytes; done += buf.length) {
                fillNodes(random, buf, 0, buf.length / Node.SIZE);
                out.write(buf);
            }
        }
    }

    /** Fills {@code count} nodes at {@code off} with random canonical nodes, as {@link #randomNode} makes them. */
    public static void fillNodes(SplittableRandom random, byte[] b, int off, int count) {
        fill(random, b, off, count * Node.SIZE);
        for (int n = off + Node.SIZE - 1; n < off + count * Node.SIZE; n += Node.SIZE) {
            b[n] &= 0x3f;
        }
    }

    private static void fill(SplittableRandom random, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i += 8) {
            long v = random.nextLong();
            for (int k = 0; k < 8 && i + k < off + len; k++) {
                b[i + k] = (byte) (v >>> (8 * k));
            }
        }
    }
}
