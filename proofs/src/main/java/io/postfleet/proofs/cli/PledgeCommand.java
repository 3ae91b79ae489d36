package io.postfleet.proofs.cli;

import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.TestSectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code pledge}: writes test sectors in the storage-path layout and their manifest. */
@Command(name = "pledge", mixinStandardHelpOptions = true,
        description = "Write N test sectors (random canonical replica, tree_r_last files, p_aux) under DIR in the Lotus"
                + " layout (sealed/, cache/) and DIR/manifest.json.")
final class PledgeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HashOption hash;

    @Option(names = "--sector-size", paramLabel = "SIZE", required = true,
            description = "the sector size: 2KiB 4KiB 16KiB 32KiB 8MiB 512MiB 32GiB 64GiB")
    String size;

    @Option(names = "--count", required = true, description = "how many sectors")
    int count;

    @Option(names = "--miner", required = true, description = "miner actor id (files are named s-t0<miner>-<num>)")
    long miner;

    @Option(names = "--out", required = true, description = "the storage path to write into")
    Path out;

    @Option(names = "--first-id", defaultValue = "0", description = "number of the first sector (default ${DEFAULT-VALUE})")
    long firstId;

    @Option(names = "--seed", description = "random seed, for reproducible sectors (default: random)")
    Long seed;

    @Option(names = "--updated", description = "write upgraded sectors (update/, update-cache/)")
    boolean updated;

    @Override
    public Integer call() throws Exception {
        SectorSize s = Args.size(size);
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1, got " + count);
        }
        Args.nonNegative(miner, "--miner");
        Args.nonNegative(firstId, "--first-id");
        PrintWriter o = spec.commandLine().getOut();
        boolean terminal = System.console() != null;
        long started = System.nanoTime();
        try (HashBackend backend = hash.open()) {
            Manifest m = new TestSectors(backend).pledge(out, s, miner, count, firstId,
                    seed != null ? seed : new java.security.SecureRandom().nextLong(), updated, done -> {
                        if (terminal) {
                            int width = 30;
                            int filled = (int) ((long) done * width / count);
                            o.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + count);
                            if (done == count) {
                                o.println();
                            }
                        } else {
                            o.println("sector " + done + "/" + count + " written");
                        }
                        o.flush();
                    });
            o.printf("pledged %d %s sectors of miner %d in %.1f s; manifest %s%n", count, s, miner,
                    (System.nanoTime() - started) / 1e9, m.dir().resolve(Manifest.FILE_NAME));
            o.flush();
        }
        return 0;
    }
}
