package io.postfleet.proofs.cli;

import io.postfleet.proofs.hash.BackendSpec;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.hash.HashBackends;
import io.postfleet.proofs.hash.opencl.OpenClHashBackend;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code post-tool hash-bench --hash SPEC}: Poseidon hashes per second and tree build time on one backend, with the
 * device's output checked bit for bit against the Java path on a sample, so a fast wrong device shows up.
 */
@Command(name = "hash-bench", mixinStandardHelpOptions = true,
        description = "Measure Poseidon hashes/s (batched groups) and tree build time (whole levels) on the backend "
                + "chosen with --hash, checking a sample against the Java path.")
final class HashBenchCommand implements Callable<Integer> {

    @Mixin
    private HashOption hash;

    @Option(names = "--arity", split = ",", defaultValue = "8,2", description = "Arities to measure (default: ${DEFAULT-VALUE}).")
    private List<Integer> arities;

    @Option(names = "--groups", defaultValue = "65536", description = "Groups hashed per timed batch (default: ${DEFAULT-VALUE}).")
    private int groups;

    @Option(names = "--rounds", defaultValue = "3", description = "Timed batches after one warm-up (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--tree-leaves", defaultValue = "262144",
            description = "Leaves of the timed tree build, a power of the arity; 262144 = an 8MiB tree_r_last "
                    + "(default: ${DEFAULT-VALUE}; 0 skips it).")
    private long treeLeaves;

    @Option(names = "--rebuild-segments", defaultValue = "0",
            description = "Also time rebuilding this many discarded-row segments (512 leaves, 3 arity-8 levels, "
                    + "73 hashes each) in one call, the hashing of a window partition's cached proofs: a 32GiB "
                    + "partition is 2349 sectors x 10 challenges = 23490 (default: ${DEFAULT-VALUE}, skipped).")
    private int rebuildSegments;

    @Option(names = "--check", defaultValue = "256", description = "Groups compared with the Java path (default: ${DEFAULT-VALUE}).")
    private int check;

    @Spec
    private CommandSpec command;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        try (HashBackend backend = hash.open(); HashBackend cpu = HashBackends.open(new BackendSpec.Java())) {
            out.printf("backend %s, %d CPU cores%n", backend.description(), Runtime.getRuntime().availableProcessors());
            boolean allEqual = true;
            for (int arity : arities) {
                byte[] in = randomElements((long) groups * arity, arity);
                byte[] digests = new byte[groups * 32];
                long start = System.nanoTime();
                backend.hashGroups(arity, in, 0, groups, digests, 0);
                double warm = seconds(start);
                double best = Double.MAX_VALUE;
                for (int r = 0; r < rounds; r++) {
                    start = System.nanoTime();
                    backend.hashGroups(arity, in, 0, groups, digests, 0);
                    best = Math.min(best, seconds(start));
                }
                int n = Math.min(check, groups);
                byte[] expected = new byte[n * 32];
                cpu.hashGroups(arity, in, 0, n, expected, 0);
                boolean equal = Arrays.equals(expected, 0, expected.length, digests, 0, n * 32);
                allEqual &= equal;
                out.printf("arity %2d: %,d groups in %.3f s (best of %d; first batch %.3f s) = %,.0f hashes/s; "
                        + "first %d equal to java: %s%n", arity, groups, best, rounds, warm, groups / best, n, equal);
                out.flush();
                if (treeLeaves > 0) {
                    int levels = levels(treeLeaves, arity);
                    if (levels < 0) {
                        out.printf("arity %2d: tree skipped, %d leaves is not a power of %d%n", arity, treeLeaves, arity);
                        continue;
                    }
                    byte[] leaves = randomElements(treeLeaves, arity);
                    start = System.nanoTime();
                    byte[] rows = backend.hashLevels(arity, leaves, 0, treeLeaves, levels);
                    double tree = seconds(start);
                    long hashes = rows.length / 32;
                    out.printf("arity %2d: tree of %,d leaves (%d levels, %,d hashes) built in %.3f s = %,.0f hashes/s%n",
                            arity, treeLeaves, levels, hashes, tree, hashes / tree);
                    out.flush();
                }
            }
            if (rebuildSegments > 0) {
                // consecutive 512-leaf segments hashed 3 levels up give each segment's own rows: one call for all
                long leaves = rebuildSegments * 512L;
                byte[] replica = randomElements(leaves, 3);
                long start = System.nanoTime();
                byte[] rows = backend.hashLevels(8, replica, 0, leaves, 3);
                double t = seconds(start);
                byte[] expected = cpu.hashLevels(8, replica, 0, 512, 3);
                boolean equal = Arrays.equals(expected, 0, 64 * 32, rows, 0, 64 * 32);
                allEqual &= equal;
                out.printf("rebuild of %,d segments (%,d arity-8 hashes) in %.3f s; first segment equal to cpu: %s%n",
                        rebuildSegments, rows.length / 32, t, equal);
            }
            if (backend instanceof OpenClHashBackend ocl) {
                out.printf("kernel launches %d%s%n", ocl.kernelLaunches(),
                        ocl.fallbackReason() == null ? "" : "; FELL BACK TO CPU: " + ocl.fallbackReason());
            }
            out.flush();
            return allEqual ? 0 : 1;
        }
    }

    private static int levels(long leaves, int arity) {
        int levels = 0;
        while (leaves > 1 && leaves % arity == 0) {
            leaves /= arity;
            levels++;
        }
        return leaves == 1 && levels > 0 ? levels : -1;
    }

    /** Random canonical elements: 253 random bits are always below p. */
    private static byte[] randomElements(long count, int seed) {
        byte[] b = new byte[Math.toIntExact(count * 32)];
        new Random(seed).nextBytes(b);
        for (int i = 31; i < b.length; i += 32) {
            b[i] &= 0x1f;
        }
        return b;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
