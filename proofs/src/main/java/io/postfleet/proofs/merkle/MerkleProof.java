package io.postfleet.proofs.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * An inclusion proof of one leaf in a tree_r_last, in upstream's three variants: a single base tree (8-0-0), a base
 * tree under a sub layer (8-8-0, 8-2-0), or under a sub and a top layer (8-8-2). The sub and top paths hold exactly one
 * element each.
 */
public sealed interface MerkleProof {

    byte[] root();

    byte[] leaf();

    /** The bincode variant index of upstream ProofData. */
    int tag();

    /** base ‖ sub ‖ top, bottom-up. */
    List<PathElement> path();

    /**
     * Leaf index proven by this path: each level's index weighted by the product of the arities below it (upstream
     * path_index for Single, Sub and Top).
     */
    default long pathIndex() {
        long index = 0;
        long weight = 1;
        for (PathElement e : path()) {
            index += e.index() * weight;
            weight *= e.arity();
        }
        return index;
    }

    record Single(byte[] root, byte[] leaf, InclusionPath base) implements MerkleProof {
        @Override
        public int tag() {
            return 0;
        }

        @Override
        public List<PathElement> path() {
            return base.elements();
        }
    }

    record Sub(InclusionPath base, InclusionPath sub, byte[] root, byte[] leaf) implements MerkleProof {
        @Override
        public int tag() {
            return 1;
        }

        @Override
        public List<PathElement> path() {
            List<PathElement> p = new ArrayList<>(base.elements());
            p.addAll(sub.elements());
            return p;
        }
    }

    record Top(InclusionPath base, InclusionPath sub, InclusionPath top, byte[] root, byte[] leaf) implements MerkleProof {
        @Override
        public int tag() {
            return 2;
        }

        @Override
        public List<PathElement> path() {
            List<PathElement> p = new ArrayList<>(base.elements());
            p.addAll(sub.elements());
            p.addAll(top.elements());
            return p;
        }
    }

    /** Builds the variant the shape calls for from a full bottom-up path. */
    static MerkleProof of(TreeShape shape, byte[] root, byte[] leaf, List<PathElement> path) {
        int b = shape.basePathLength();
        if (shape.subArity() == 0) {
            return new Single(root, leaf, new InclusionPath(path));
        }
        InclusionPath base = new InclusionPath(path.subList(0, b));
        InclusionPath sub = new InclusionPath(path.subList(b, b + 1));
        if (shape.topArity() == 0) {
            return new Sub(base, sub, root, leaf);
        }
        return new Top(base, sub, new InclusionPath(path.subList(b + 1, b + 2)), root, leaf);
    }
}
