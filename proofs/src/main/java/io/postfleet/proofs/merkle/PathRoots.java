package io.postfleet.proofs.merkle;

import io.postfleet.proofs.hash.HashBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recomputes the roots that inclusion paths lead to, for many proofs at once: level by level, one
 * {@link HashBackend#hashGroups} call per level and arity, so a GPU backend sees whole batches instead of single hashes,
 * and each distinct group of a level hashed once.
 */
public final class PathRoots {

    private PathRoots() {
    }

    /** The root each proof's leaf and path lead to (upstream {@code root(leaf, path)}), in proof order. */
    public static byte[][] compute(HashBackend backend, List<MerkleProof> proofs) {
        int n = proofs.size();
        byte[] running = new byte[n * Node.SIZE];
        List<List<PathElement>> paths = new ArrayList<>(n);
        int levels = 0;
        for (int i = 0; i < n; i++) {
            MerkleProof p = proofs.get(i);
            System.arraycopy(p.leaf(), 0, running, i * Node.SIZE, Node.SIZE);
            List<PathElement> path = p.path();
            paths.add(path);
            levels = Math.max(levels, path.size());
        }
        for (int level = 0; level < levels; level++) {
            Map<Integer, List<Integer>> byArity = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                if (level < paths.get(i).size()) {
                    byArity.computeIfAbsent(paths.get(i).get(level).arity(), a -> new ArrayList<>()).add(i);
                }
            }
            for (Map.Entry<Integer, List<Integer>> group : byArity.entrySet()) {
                hashLevel(backend, group.getKey(), group.getValue(), paths, level, running);
            }
        }
        byte[][] roots = new byte[n][];
        for (int i = 0; i < n; i++) {
            roots[i] = Node.copy(running, i * Node.SIZE);
        }
        return roots;
    }

    /**
     * Hashes one level of the proofs in {@code members} (all of one arity). Paths of the same tree share their upper
     * nodes (every challenge of a sector meets at the root's children), so identical groups are hashed once: the
     * same input bytes give the same digest, whichever proof they came from.
     */
    private static void hashLevel(HashBackend backend, int arity, List<Integer> members, List<List<PathElement>> paths,
                                  int level, byte[] running) {
        int groupBytes = arity * Node.SIZE;
        DistinctInputs groups = new DistinctInputs();
        int[] slot = new int[members.size()];
        byte[] in = new byte[members.size() * groupBytes];
        for (int m = 0; m < members.size(); m++) {
            int i = members.get(m);
            byte[] group = new byte[groupBytes];
            paths.get(i).get(level).children(running, i * Node.SIZE, group, 0);
            int seen = groups.count();
            slot[m] = groups.slot(group);
            if (slot[m] == seen) {
                System.arraycopy(group, 0, in, slot[m] * groupBytes, groupBytes);
            }
        }
        int unique = groups.count();
        byte[] out = new byte[unique * Node.SIZE];
        backend.hashGroups(arity, in, 0, unique, out, 0);
        for (int m = 0; m < members.size(); m++) {
            System.arraycopy(out, slot[m] * Node.SIZE, running, members.get(m) * Node.SIZE, Node.SIZE);
        }
    }

    /** Poseidon of one group of {@code arity} nodes given back to back. */
    public static byte[] hash(HashBackend backend, int arity, byte[] nodes) {
        if (nodes.length != arity * Node.SIZE) {
            throw new IllegalArgumentException("expected " + arity + " nodes, got " + nodes.length + " bytes");
        }
        byte[] out = new byte[Node.SIZE];
        backend.hashGroups(arity, nodes, 0, 1, out, 0);
        return out;
    }
}
