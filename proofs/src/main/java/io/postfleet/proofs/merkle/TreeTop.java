package io.postfleet.proofs.merkle;

import io.postfleet.proofs.hash.HashBackend;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a tree_r_last above its base trees: the base roots (last node of each cache file), the sub-roots and
 * the root, comm_r_last. Proofs take their sub and top path elements from here.
 */
public record TreeTop(TreeShape shape, List<byte[]> baseRoots, List<byte[]> subRoots, byte[] root) {

    public static TreeTop of(HashBackend backend, TreeShape shape, List<byte[]> baseRoots) {
        List<byte[]> subRoots = new ArrayList<>();
        if (shape.subArity() > 0) {
            for (int s = 0; s < baseRoots.size(); s += shape.subArity()) {
                byte[] in = new byte[shape.subArity() * Node.SIZE];
                for (int i = 0; i < shape.subArity(); i++) {
                    System.arraycopy(baseRoots.get(s + i), 0, in, i * Node.SIZE, Node.SIZE);
                }
                subRoots.add(PathRoots.hash(backend, shape.subArity(), in));
            }
        }
        return new TreeTop(shape, List.copyOf(baseRoots), List.copyOf(subRoots),
                TreeRLastBuilder.joinRoots(backend, shape, baseRoots));
    }

    /** Reads the base roots from the cache files and joins them. */
    public static TreeTop read(HashBackend backend, TreeShape shape, TreeCacheFile[] trees) throws IOException {
        List<byte[]> roots = new ArrayList<>();
        for (TreeCacheFile t : trees) {
            roots.add(t.root());
        }
        return of(backend, shape, roots);
    }

    /** The sub-layer path element for a leaf in base tree {@code k}, or null for 8-0-0. */
    PathElement subElement(int k) {
        if (shape.subArity() == 0) {
            return null;
        }
        int first = (k / shape.subArity()) * shape.subArity();
        return element(baseRoots, first, shape.subArity(), k - first);
    }

    /** The top-layer path element for a leaf in base tree {@code k}, or null without a top layer. */
    PathElement topElement(int k) {
        if (shape.topArity() == 0) {
            return null;
        }
        return element(subRoots, 0, shape.topArity(), k / shape.subArity());
    }

    private static PathElement element(List<byte[]> nodes, int first, int arity, int index) {
        byte[] sib = new byte[(arity - 1) * Node.SIZE];
        int o = 0;
        for (int i = 0; i < arity; i++) {
            if (i != index) {
                System.arraycopy(nodes.get(first + i), 0, sib, o, Node.SIZE);
                o += Node.SIZE;
            }
        }
        return new PathElement(sib, index);
    }
}
