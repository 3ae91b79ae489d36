package io.postfleet.proofs.sector;

import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.merkle.Node;
import io.postfleet.proofs.merkle.PathRoots;
import io.postfleet.proofs.merkle.TreeRLastBuilder;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Builds a sector's tree_r_last files and p_aux in its cache directory, as sealing leaves them, and derives comm_r.
 */
public final class SectorTree {

    private final HashBackend backend;

    public SectorTree(HashBackend backend) {
        this.backend = backend;
    }

    /**
     * Builds the tree of {@code replica} into {@code cacheDir}, writes p_aux (comm_c, comm_r_last) and returns the
     * commitments.
     *
     * @throws IOException naming the replica or cache file that failed
     */
    public SectorCommitments build(SectorSize size, Path replica, Path cacheDir, byte[] commC) throws IOException {
        if (!Node.isCanonical(commC)) {
            throw new IllegalArgumentException("comm_c must be a canonical 32-byte field element");
        }
        TreeRLastBuilder.Built built = new TreeRLastBuilder(backend).build(size.shape(), replica, cacheDir);
        new PersistentAux(commC, built.commRLast()).write(cacheDir.resolve(PersistentAux.FILE_NAME));
        return new SectorCommitments(commC, built.commRLast(), commR(backend, commC, built.commRLast()));
    }

    /** comm_r = Poseidon2(comm_c, comm_r_last) (arity 2, MerkleTree domain tag). */
    public static byte[] commR(HashBackend backend, byte[] commC, byte[] commRLast) {
        byte[] in = new byte[2 * Node.SIZE];
        System.arraycopy(commC, 0, in, 0, Node.SIZE);
        System.arraycopy(commRLast, 0, in, Node.SIZE, Node.SIZE);
        return PathRoots.hash(backend, 2, in);
    }
}
