package io.postfleet.proofs.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.merkle.Node;
import io.postfleet.proofs.merkle.TreeRLastBuilder;
import io.postfleet.proofs.merkle.TreeShape;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.PersistentAux;
import io.postfleet.proofs.sector.SectorFiles;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.StoragePaths;
import io.postfleet.proofs.sector.TestSectors;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * A window partition of full-size sectors (a whole 32GiB or 64GiB partition if asked: 2349 or 2300 sectors) written
 * sparsely, so the real {@link PartitionProver} and {@link PostVerifier} can run over it without terabytes of
 * replica. It is built for one stated randomness (ApiVersion V1_2), miner and seed, in the Lotus layout with a
 * manifest, as {@code post-tool pledge} writes test sectors.
 *
 * <p>What is written, and what is not:
 * <ul>
 *   <li>Each replica file has its full length, but only the replica segments (the {@link TreeShape#segmentWidth()}
 *       leaves a cached proof rebuilds) that this randomness's window challenges fall into hold data: distinct random
 *       canonical nodes, drawn per sector and per segment. The rest are holes, which read as zero nodes.</li>
 *   <li>Each tree_r_last cache file has its exact size, but holds only the nodes a proof of these challenges reads:
 *       at every cached row, the group of nodes around each challenged leaf's ancestor, and the base root. Those
 *       nodes equal what a full build over the replica (holes as zeros) gives: a subtree over holes only hashes to a
 *       constant per row, computed once, and a node above a written segment is the hash of its children. All other
 *       nodes of the file are holes, not the full build's values: a challenge of another randomness would read
 *       zeros there and its sector would be skipped as corrupt.</li>
 *   <li>p_aux holds a random comm_c and comm_r_last joined from the base roots; comm_r is Poseidon2 of both.</li>
 * </ul>
 * Hashing goes through the backend in large batches: the segments of {@link #SECTORS_PER_BATCH} sectors in one
 * {@link HashBackend#hashLevels} call, then one {@link HashBackend#hashGroups} call per row above and one for the
 * comm_r of the batch; only comm_r_last is joined per sector ({@link TreeRLastBuilder#joinRoots}, one to three
 * hashes).
 *
 * <p>A stamp file written last records what the folder holds; a later {@link #build} with the same spec reuses it.
 */
public final class SparsePartition {

    /** The layout version; a folder stamped with another one is rebuilt. */
    public static final int FORMAT = 1;
    public static final String STAMP_FILE = "sparse-partition.json";
    /** Sectors whose segments are hashed together: at most 640 segments, a few tens of MiB with their rows. */
    static final int SECTORS_PER_BATCH = 64;
    private static final ApiVersion API = ApiVersion.V1_2;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final HashBackend backend;

    public SparsePartition(HashBackend backend) {
        this.backend = backend;
    }

    /**
     * What to build: {@code sectors} sectors numbered 0.. of {@code size} for miner {@code minerId}, with content drawn
     * from {@code seed}, written for the window challenges of {@code randomness}.
     */
    public record Spec(SectorSize size, int sectors, long seed, byte[] randomness, long minerId) {

        public Spec {
            if (sectors < 1 || sectors > size.windowPartitionSectors()) {
                throw new IllegalArgumentException("a " + size + " partition holds 1.." + size.windowPartitionSectors()
                        + " sectors, got " + sectors);
            }
            if (!Node.isCanonical(randomness)) {
                throw new IllegalArgumentException("randomness must be a canonical 32-byte field element");
            }
            if (minerId < 0) {
                throw new IllegalArgumentException("miner id must be 0 or more, got " + minerId);
            }
            randomness = randomness.clone();
        }

        /** The inputs {@code post-tool bench --partition} and {@code scripts/bench --only remote} build for. */
        public static final long BENCH_MINER = 1000;
        public static final long BENCH_SEED = 1;
        private static final byte[] BENCH_RANDOMNESS = Node.parseHex(
                "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "randomness");

        /** The benchmarks' partition of {@code sectors} sectors: miner 1000, seed 1, randomness 00 01 .. 1f. */
        public static Spec bench(SectorSize size, int sectors) {
            return new Spec(size, sectors, BENCH_SEED, BENCH_RANDOMNESS, BENCH_MINER);
        }

        /** The whole partition of {@code size}: {@link SectorSize#windowPartitionSectors()} sectors. */
        public static Spec full(SectorSize size, long seed, byte[] randomness, long minerId) {
            return new Spec(size, size.windowPartitionSectors(), seed, randomness, minerId);
        }

        public ApiVersion api() {
            return API;
        }

        public int challenges() {
            return sectors * ChallengeDeriver.WINDOW_CHALLENGES;
        }

        /** Logical bytes of the replica files (what a real partition of these sectors occupies). */
        public long replicaBytes() {
            return sectors * size.bytes();
        }
    }

    /**
     * A partition on disk.
     *
     * @param reused           true when a matching stamp was found and nothing was written
     * @param bytesWritten     bytes of data written to the replica and tree files (the rest are holes)
     * @param distinctSegments distinct replica segments the challenges fall into (challenges minus those that share a
     *                         segment with an earlier challenge of their sector)
     */
    public record Built(Spec spec, Manifest manifest, boolean reused, long bytesWritten, int distinctSegments) {

        /** The sectors as the prover takes them. */
        public List<ProvingSector> provingSectors() {
            List<ProvingSector> out = new ArrayList<>();
            for (Manifest.Entry e : manifest.sectors()) {
                out.add(new ProvingSector(e.id(), e.commR(), manifest.files(e)));
            }
            return out;
        }

        /** The verifier's records: comm_r by sector id. */
        public SortedMap<Long, byte[]> records() {
            SortedMap<Long, byte[]> out = new TreeMap<>();
            for (Manifest.Entry e : manifest.sectors()) {
                out.put(e.id(), e.commR());
            }
            return out;
        }
    }

    /**
     * Reuses the partition in {@code dir} when its stamp matches {@code spec}; otherwise removes a partition stamped
     * there before and writes this one.
     *
     * @param progress called with the number of sectors written so far (not called on reuse)
     * @throws IOException naming the file that failed, or when {@code dir} holds other files and no stamp
     */
    public Built build(Path dir, Spec spec, IntConsumer progress) throws IOException {
        Path root = dir.toAbsolutePath();
        Path stamp = root.resolve(STAMP_FILE);
        if (Files.isRegularFile(stamp)) {
            JsonNode s = readStamp(stamp);
            if (s != null && JSON.readTree(identity(spec).toString()).equals(s.get("spec"))) {
                return new Built(spec, Manifest.read(root), true, s.path("bytes_written").asLong(),
                        s.path("distinct_segments").asInt());
            }
            removePartition(root);
        } else if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.list(root)) {
                if (files.findAny().isPresent()) {
                    throw new IOException(root + " holds files but no " + STAMP_FILE + ": give an empty or new folder"
                            + " for the partition (only a folder this builder stamped is ever cleared)");
                }
            }
        }
        Files.createDirectories(root);
        Built built = write(root, spec, progress);
        ObjectNode s = JSON.createObjectNode();
        s.set("spec", identity(spec));
        s.put("bytes_written", built.bytesWritten());
        s.put("distinct_segments", built.distinctSegments());
        JSON.writeValue(stamp.toFile(), s);
        return built;
    }

    private static ObjectNode identity(Spec spec) {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", FORMAT);
        n.put("sector_size", spec.size().label());
        n.put("sectors", spec.sectors());
        n.put("seed", spec.seed());
        n.put("randomness", Node.hex(spec.randomness()));
        n.put("miner_id", spec.minerId());
        n.put("api", spec.api().name());
        return n;
    }

    private static JsonNode readStamp(Path stamp) {
        try {
            return JSON.readTree(stamp.toFile());
        } catch (IOException e) {
            return null;
        }
    }

    /** Removes what a build writes: the stamp first, so a half-removed folder is never taken for a partition. */
    private static void removePartition(Path root) throws IOException {
        Files.delete(root.resolve(STAMP_FILE));
        Files.deleteIfExists(root.resolve(Manifest.FILE_NAME));
        for (String sub : List.of(StoragePaths.SEALED, StoragePaths.CACHE)) {
            Path p = root.resolve(sub);
            if (Files.exists(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
        }
    }

    private Built write(Path root, Spec spec, IntConsumer progress) throws IOException {
        TreeShape shape = spec.size().shape();
        byte[][] empty = emptySubtrees(shape);
        SplittableRandom random = new SplittableRandom(spec.seed());
        List<Manifest.Entry> entries = new ArrayList<>();
        long written = 0;
        int distinct = 0;
        for (int first = 0; first < spec.sectors(); first += SECTORS_PER_BATCH) {
            List<SectorPlan> batch = new ArrayList<>();
            for (int id = first; id < Math.min(spec.sectors(), first + SECTORS_PER_BATCH); id++) {
                batch.add(plan(spec, shape, id, random.split()));
            }
            hashBatch(shape, batch, empty);
            byte[] commRIn = new byte[batch.size() * 2 * Node.SIZE];
            for (int b = 0; b < batch.size(); b++) {
                SectorPlan p = batch.get(b);
                p.commRLast = TreeRLastBuilder.joinRoots(backend, shape, p.baseRoots(empty));
                System.arraycopy(p.commC, 0, commRIn, 2 * b * Node.SIZE, Node.SIZE);
                System.arraycopy(p.commRLast, 0, commRIn, (2 * b + 1) * Node.SIZE, Node.SIZE);
            }
            byte[] commRs = new byte[batch.size() * Node.SIZE];
            backend.hashGroups(2, commRIn, 0, batch.size(), commRs, 0);
            for (int b = 0; b < batch.size(); b++) {
                SectorPlan p = batch.get(b);
                SectorFiles f = SectorFiles.inStoragePath(root, spec.minerId(), p.id, false);
                written += writeSector(spec.size(), shape, f, p, empty);
                distinct += p.segments.length;
                entries.add(new Manifest.Entry(p.id, spec.size(), p.commC, p.commRLast, Node.copy(commRs, b * Node.SIZE),
                        false, root.relativize(f.sealed()).toString(), root.relativize(f.cacheDir()).toString()));
            }
            progress.accept(first + batch.size());
        }
        Manifest m = new Manifest(root, spec.minerId(), spec.size(), entries);
        m.write();
        return new Built(spec, m, false, written, distinct);
    }

    /**
     * One sector: its comm_c, its challenged segments (global segment numbers, ascending) with their content, and,
     * per base tree, the nodes above them once hashed.
     */
    private static final class SectorPlan {
        final long id;
        final byte[] commC;
        final long[] segments;
        final byte[] segmentData;
        final WrittenNodes[] trees;
        byte[] commRLast;

        SectorPlan(long id, byte[] commC, long[] segments, byte[] segmentData, WrittenNodes[] trees) {
            this.id = id;
            this.commC = commC;
            this.segments = segments;
            this.segmentData = segmentData;
            this.trees = trees;
        }

        List<byte[]> baseRoots(byte[][] empty) {
            List<byte[]> roots = new ArrayList<>();
            for (WrittenNodes t : trees) {
                roots.add(t.root(empty));
            }
            return roots;
        }
    }

    /**
     * The nodes of one base tree that differ from the empty-subtree constant of their row: at each row from the first
     * cached one to the root, the positions above a written segment (ascending) and their values.
     */
    private static final class WrittenNodes {
        final int firstRow;
        final long[][] positions;
        final byte[][] values;

        WrittenNodes(TreeShape shape, long[] localSegments) {
            firstRow = shape.firstCachedRow();
            int rows = shape.baseRowCount() - firstRow;
            positions = new long[rows][];
            values = new byte[rows][];
            positions[0] = localSegments;
            for (int r = 1; r < rows; r++) {
                positions[r] = Arrays.stream(positions[r - 1]).map(p -> p / shape.baseArity()).distinct().toArray();
            }
        }

        /** The value of the node at {@code row}, {@code column}: a written one, else the row's empty constant. */
        byte[] node(int row, long column, byte[][] empty) {
            int i = Arrays.binarySearch(positions[row - firstRow], column);
            return i >= 0 ? Node.copy(values[row - firstRow], i * Node.SIZE) : empty[row];
        }

        byte[] root(byte[][] empty) {
            return node(firstRow + positions.length - 1, 0, empty);
        }
    }

    private static SectorPlan plan(Spec spec, TreeShape shape, long id, SplittableRandom random) {
        byte[] commC = TestSectors.randomNode(random);
        int seg = shape.segmentWidth();
        long[] leaves = ChallengeDeriver.window(spec.size(), API, spec.randomness(), id, id);
        long[] segments = Arrays.stream(leaves).map(l -> l / seg).sorted().distinct().toArray();
        byte[] data = new byte[segments.length * seg * Node.SIZE];
        TestSectors.fillNodes(random, data, 0, segments.length * seg);
        long segmentsPerTree = shape.baseLeaves() / seg;
        WrittenNodes[] trees = new WrittenNodes[shape.baseTreeCount()];
        for (int k = 0; k < trees.length; k++) {
            long lo = k * segmentsPerTree;
            long hi = lo + segmentsPerTree;
            trees[k] = new WrittenNodes(shape, Arrays.stream(segments).filter(g -> g >= lo && g < hi).map(g -> g - lo).toArray());
        }
        return new SectorPlan(id, commC, segments, data, trees);
    }

    /** {@code empty[r]}: the value of a row-r node over zero leaves only. */
    private byte[][] emptySubtrees(TreeShape shape) {
        int arity = shape.baseArity();
        byte[][] empty = new byte[shape.baseRowCount()][];
        empty[0] = new byte[Node.SIZE];
        for (int r = 1; r < empty.length; r++) {
            byte[] in = new byte[arity * Node.SIZE];
            for (int c = 0; c < arity; c++) {
                System.arraycopy(empty[r - 1], 0, in, c * Node.SIZE, Node.SIZE);
            }
            empty[r] = new byte[Node.SIZE];
            backend.hashGroups(arity, in, 0, 1, empty[r], 0);
        }
        return empty;
    }

    /**
     * Hashes every segment of the batch up to the first cached row in one call, then each row above, up to the base
     * roots, in one call per row over all base trees of the batch.
     */
    private void hashBatch(TreeShape shape, List<SectorPlan> batch, byte[][] empty) {
        int seg = shape.segmentWidth();
        int arity = shape.baseArity();
        int levels = shape.firstCachedRow();
        int u = batch.stream().mapToInt(p -> p.segments.length).sum();
        byte[] all = new byte[Math.multiplyExact(u, seg * Node.SIZE)];
        int at = 0;
        for (SectorPlan p : batch) {
            System.arraycopy(p.segmentData, 0, all, at, p.segmentData.length);
            at += p.segmentData.length;
        }
        byte[] rows = backend.hashLevels(arity, all, 0, (long) u * seg, levels);
        // the segment roots are the last u nodes; segments are in sector order, then ascending, as the trees' positions
        int rootAt = rows.length - u * Node.SIZE;
        for (SectorPlan p : batch) {
            for (WrittenNodes t : p.trees) {
                int n = t.positions[0].length;
                t.values[0] = Arrays.copyOfRange(rows, rootAt, rootAt + n * Node.SIZE);
                rootAt += n * Node.SIZE;
            }
        }
        List<WrittenNodes> trees = batch.stream().flatMap(p -> Arrays.stream(p.trees)).toList();
        for (int r = 1; r < shape.baseRowCount() - levels; r++) {
            int row = levels + r;
            int r0 = r;
            int count = trees.stream().mapToInt(t -> t.positions[r0].length).sum();
            byte[] in = new byte[count * arity * Node.SIZE];
            int g = 0;
            for (WrittenNodes t : trees) {
                for (long parent : t.positions[r]) {
                    for (int c = 0; c < arity; c++) {
                        System.arraycopy(t.node(row - 1, parent * arity + c, empty), 0, in, (g * arity + c) * Node.SIZE,
                                Node.SIZE);
                    }
                    g++;
                }
            }
            byte[] out = new byte[count * Node.SIZE];
            backend.hashGroups(arity, in, 0, count, out, 0);
            int o = 0;
            for (WrittenNodes t : trees) {
                int n = t.positions[r].length;
                t.values[r] = Arrays.copyOfRange(out, o, o + n * Node.SIZE);
                o += n * Node.SIZE;
            }
        }
    }

    /** Writes the sector's sparse replica, tree files and p_aux; returns the data bytes written. */
    private static long writeSector(SectorSize size, TreeShape shape, SectorFiles f, SectorPlan p, byte[][] empty)
            throws IOException {
        Files.createDirectories(f.sealed().getParent());
        Files.createDirectories(f.cacheDir());
        int segBytes = shape.segmentWidth() * Node.SIZE;
        long written = 0;
        try (RandomAccessFile raf = new RandomAccessFile(f.sealed().toFile(), "rw")) {
            raf.setLength(size.bytes());
            for (int s = 0; s < p.segments.length; s++) {
                written += writeAt(raf.getChannel(), p.segments[s] * segBytes, p.segmentData, s * segBytes, segBytes);
            }
        }
        int arity = shape.baseArity();
        int rootRow = shape.baseRowCount() - 1;
        for (int k = 0; k < p.trees.length; k++) {
            WrittenNodes t = p.trees[k];
            try (RandomAccessFile raf = new RandomAccessFile(f.treeFile(shape, k).toFile(), "rw")) {
                raf.setLength(shape.cacheFileBytes());
                FileChannel ch = raf.getChannel();
                // the groups CachedProofs.read takes at each cached row below the root, each written once
                for (int row = t.firstRow; row < rootRow; row++) {
                    TreeSet<Long> groups = new TreeSet<>();
                    for (long pos : t.positions[row - t.firstRow]) {
                        groups.add(pos / arity * arity);
                    }
                    for (long column : groups) {
                        byte[] group = new byte[arity * Node.SIZE];
                        for (int c = 0; c < arity; c++) {
                            System.arraycopy(t.node(row, column + c, empty), 0, group, c * Node.SIZE, Node.SIZE);
                        }
                        written += writeAt(ch, (shape.cacheRowOffset(row) + column) * Node.SIZE, group, 0, group.length);
                    }
                }
                byte[] root = t.root(empty);
                written += writeAt(ch, (shape.cacheElements() - 1) * Node.SIZE, root, 0, Node.SIZE);
            }
        }
        new PersistentAux(p.commC, p.commRLast).write(f.pAux());
        return written + PersistentAux.SIZE;
    }

    private static int writeAt(FileChannel ch, long pos, byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
            ch.write(buf, pos + (buf.position() - off));
        }
        return len;
    }
}
