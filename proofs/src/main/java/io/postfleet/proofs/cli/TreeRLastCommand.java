package io.postfleet.proofs.cli;

import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.merkle.Node;
import io.postfleet.proofs.sector.SectorCommitments;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.SectorTree;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tree-r-last}: builds a replica's tree_r_last files and p_aux, prints comm_r_last and comm_r. */
@Command(name = "tree-r-last", mixinStandardHelpOptions = true,
        description = "Build tree_r_last over a sealed replica into a cache directory (sc-02-data-tree-r-last[-k].dat"
                + " and p_aux) and print comm_r_last and comm_r = Poseidon2(comm_c, comm_r_last).")
final class TreeRLastCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HashOption hash;

    @Option(names = "--replica", required = true, description = "the sealed replica file")
    Path replica;

    @Option(names = "--sector-size", paramLabel = "SIZE", required = true,
            description = "the sector size: 2KiB 4KiB 16KiB 32KiB 8MiB 512MiB 32GiB 64GiB")
    String size;

    @Option(names = "--cache-dir", required = true, description = "where the tree files and p_aux go (created)")
    Path cacheDir;

    @Option(names = "--comm-c", required = true, description = "comm_c, 64 hex digits (written to p_aux)")
    String commC;

    @Override
    public Integer call() throws Exception {
        SectorSize s = Args.size(size);
        byte[] c = Args.node(commC, "--comm-c");
        try (HashBackend backend = hash.open()) {
            SectorCommitments out = new SectorTree(backend).build(s, replica, cacheDir, c);
            spec.commandLine().getOut().println("comm_r_last " + Node.hex(out.commRLast()));
            spec.commandLine().getOut().println("comm_r " + Node.hex(out.commR()));
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
