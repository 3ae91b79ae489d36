package io.postfleet.proofs.post;

import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.merkle.MerkleProof;
import io.postfleet.proofs.merkle.Node;
import io.postfleet.proofs.merkle.PathElement;
import io.postfleet.proofs.merkle.PathRoots;
import io.postfleet.proofs.merkle.TreeShape;
import io.postfleet.proofs.sector.SectorSize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Verifies vanilla window and winning proofs strictly, from the verifier's own inputs only: the comm_r of each sector
 * from its own records, the sector ids it expects, and challenges it derives itself from the randomness. Nothing the
 * proof claims about itself is trusted: every element must be canonical, every path must have the shape's length and
 * arities, open exactly the challenged leaf and lead to the sector's comm_r_last, comm_r must be recomputed from
 * comm_c and comm_r_last, and padding entries must be exact copies. Upstream's checks are a subset of these.
 */
public final class PostVerifier {

    private final HashBackend backend;

    public PostVerifier(HashBackend backend) {
        this.backend = backend;
    }

    /**
     * Verifies window partition {@code partitionIndex}.
     *
     * @param expected the partition's sectors and their comm_r, from the verifier's records
     */
    public Verdict verifyWindow(SectorSize size, ApiVersion api, int partitionIndex, byte[] randomness,
                                SortedMap<Long, byte[]> expected, PartitionProof proof) {
        try {
            requireCanonical(randomness, "randomness");
            int perPartition = size.windowPartitionSectors();
            if (expected.size() > perPartition) {
                return invalid("the verifier's records hold " + expected.size() + " sectors, more than a " + size
                        + " partition (" + perPartition + ")");
            }
            Set<Long> skippedIds = new HashSet<>();
            for (SkippedSector s : proof.skipped()) {
                if (!expected.containsKey(s.sectorId())) {
                    return invalid("skipped sector " + s.sectorId() + " is not in this partition");
                }
                if (!skippedIds.add(s.sectorId())) {
                    return invalid("sector " + s.sectorId() + " is skipped twice");
                }
            }
            List<FallbackPoStSectorProof> all = proof.sectors();
            int real = 0;
            while (real < all.size() && (real == 0 || all.get(real).sectorId() > all.get(real - 1).sectorId())) {
                real++;
            }
            if (real == 0 && !all.isEmpty()) {
                return invalid("empty proof list expected");
            }
            if (real > 0 && all.size() != perPartition) {
                return invalid("the partition proof holds " + all.size() + " sector proofs, expected " + perPartition
                        + " (padded)");
            }
            if (real < all.size()) {
                byte[] last = VanillaProofCodec.encode(all.get(real - 1));
                for (int i = real; i < all.size(); i++) {
                    if (!Arrays.equals(last, VanillaProofCodec.encode(all.get(i)))) {
                        return invalid("padding entry " + i + " is not an exact copy of the last sector proof");
                    }
                }
            }
            Set<Long> covered = new HashSet<>(skippedIds);
            Batch batch = new Batch();
            for (int i = 0; i < real; i++) {
                FallbackPoStSectorProof p = all.get(i);
                byte[] commR = expected.get(p.sectorId());
                if (commR == null) {
                    return invalid("sector " + p.sectorId() + " is not in this partition");
                }
                if (skippedIds.contains(p.sectorId())) {
                    return invalid("sector " + p.sectorId() + " is both proven and skipped");
                }
                covered.add(p.sectorId());
                long[] challenges = ChallengeDeriver.window(size, api, randomness, p.sectorId(),
                        (long) partitionIndex * perPartition + i);
                String bad = batch.add(size, p, commR, challenges);
                if (bad != null) {
                    return invalid(bad);
                }
            }
            for (long id : expected.keySet()) {
                if (!covered.contains(id)) {
                    return invalid("sector " + id + " is neither proven nor skipped");
                }
            }
            return batch.verify();
        } catch (IllegalArgumentException e) {
            return invalid(e.getMessage());
        }
    }

    /**
     * Verifies a winning proof: the challenged sector is derived from the randomness, the prover id and the eligible
     * sectors (ascending id), and must be the one proven, with its 66 challenges.
     *
     * @param eligible every eligible sector id with its comm_r from the verifier's records
     */
    public Verdict verifyWinning(SectorSize size, byte[] randomness, byte[] proverId, SortedMap<Long, byte[]> eligible,
                                 PartitionProof proof) {
        try {
            requireCanonical(randomness, "randomness");
            requireCanonical(proverId, "prover id");
            if (eligible.isEmpty()) {
                return invalid("no eligible sectors");
            }
            List<Long> ids = new ArrayList<>(eligible.keySet());
            long challenged = ids.get(ChallengeDeriver.winningSectorIndex(randomness, proverId, ids.size()));
            if (!proof.skipped().isEmpty()) {
                SkippedSector s = proof.skipped().get(0);
                return invalid("sector " + s.sectorId() + " was skipped (" + s.reason() + "): a winning proof has no faults");
            }
            if (proof.sectors().size() != 1) {
                return invalid("a winning proof holds exactly one sector proof, got " + proof.sectors().size());
            }
            FallbackPoStSectorProof p = proof.sectors().get(0);
            if (p.sectorId() != challenged) {
                return invalid("the proof is for sector " + p.sectorId() + " but the randomness challenges sector " + challenged);
            }
            Batch batch = new Batch();
            String bad = batch.add(size, p, eligible.get(challenged), ChallengeDeriver.winning(size, randomness, challenged));
            return bad != null ? invalid(bad) : batch.verify();
        } catch (IllegalArgumentException e) {
            return invalid(e.getMessage());
        }
    }

    /**
     * Verifies one sector's vanilla proof against its comm_r and the leaf challenges the caller derived itself, as a
     * worker checks a proof another node read for it before using it.
     */
    public Verdict verifySector(SectorSize size, FallbackPoStSectorProof proof, byte[] commR, long[] challenges) {
        try {
            Batch batch = new Batch();
            String bad = batch.add(size, proof, commR, challenges);
            return bad != null ? invalid(bad) : batch.verify();
        } catch (IllegalArgumentException e) {
            return invalid(e.getMessage());
        }
    }

    /** Structural checks per sector; the hashing of all sectors is done once at the end. */
    private final class Batch {
        private final List<MerkleProof> proofs = new ArrayList<>();
        private final List<byte[]> expectedRoots = new ArrayList<>();
        private final List<String> where = new ArrayList<>();
        private final List<byte[]> commRInputs = new ArrayList<>();
        private final List<byte[]> commRExpected = new ArrayList<>();
        private final List<Long> commRSector = new ArrayList<>();

        String add(SectorSize size, FallbackPoStSectorProof p, byte[] commR, long[] challenges) {
            long id = p.sectorId();
            if (!Arrays.equals(p.commR(), commR)) {
                return "sector " + id + ": the proof's comm_r " + hexOrLen(p.commR()) + " is not the recorded " + Node.hex(commR);
            }
            if (p.sectors().size() != 1) {
                return "sector " + id + ": " + p.sectors().size() + " sector proofs, expected 1";
            }
            SectorProof sp = p.sectors().get(0);
            if (!Node.isCanonical(sp.commC()) || !Node.isCanonical(sp.commRLast())) {
                return "sector " + id + ": comm_c or comm_r_last is not a canonical field element";
            }
            List<MerkleProof> incl = sp.inclusionProofs();
            if (incl.size() != challenges.length) {
                return "sector " + id + ": " + incl.size() + " inclusion proofs, expected " + challenges.length;
            }
            TreeShape shape = size.shape();
            int expectedTag = shape.subArity() == 0 ? 0 : shape.topArity() == 0 ? 1 : 2;
            for (int n = 0; n < incl.size(); n++) {
                MerkleProof mp = incl.get(n);
                String at = "sector " + id + " challenge " + n + " (leaf " + challenges[n] + ")";
                if (mp.tag() != expectedTag) {
                    return at + ": proof variant " + mp.tag() + " does not fit a " + shape.label() + " tree";
                }
                List<PathElement> path = mp.path();
                if (path.size() != shape.pathLength()) {
                    return at + ": path length " + path.size() + ", expected " + shape.pathLength();
                }
                for (int l = 0; l < path.size(); l++) {
                    int arity = l < shape.basePathLength() ? shape.baseArity()
                            : l == shape.basePathLength() ? shape.subArity() : shape.topArity();
                    PathElement e = path.get(l);
                    if (e.arity() != arity || e.index() < 0 || e.index() >= arity) {
                        return at + ": path element " + l + " has " + e.siblingCount() + " siblings and index " + e.index()
                                + ", expected " + (arity - 1) + " siblings";
                    }
                    if (Node.firstNonCanonical(e.siblings(), 0, e.siblingCount()) >= 0) {
                        return at + ": path element " + l + " holds a non-canonical node";
                    }
                }
                if (!Node.isCanonical(mp.leaf()) || !Node.isCanonical(mp.root())) {
                    return at + ": leaf or root is not a canonical field element";
                }
                if (mp.pathIndex() != challenges[n]) {
                    return at + ": the path opens leaf " + mp.pathIndex() + ", not the challenged leaf";
                }
                if (!Arrays.equals(mp.root(), sp.commRLast())) {
                    return at + ": the proof's root is not the sector's comm_r_last";
                }
                proofs.add(mp);
                expectedRoots.add(sp.commRLast());
                where.add(at);
            }
            byte[] in = new byte[2 * Node.SIZE];
            System.arraycopy(sp.commC(), 0, in, 0, Node.SIZE);
            System.arraycopy(sp.commRLast(), 0, in, Node.SIZE, Node.SIZE);
            commRInputs.add(in);
            commRExpected.add(commR);
            commRSector.add(id);
            return null;
        }

        Verdict verify() {
            if (!commRInputs.isEmpty()) {
                byte[] in = new byte[commRInputs.size() * 2 * Node.SIZE];
                for (int i = 0; i < commRInputs.size(); i++) {
                    System.arraycopy(commRInputs.get(i), 0, in, i * 2 * Node.SIZE, 2 * Node.SIZE);
                }
                byte[] out = new byte[commRInputs.size() * Node.SIZE];
                backend.hashGroups(2, in, 0, commRInputs.size(), out, 0);
                for (int i = 0; i < commRInputs.size(); i++) {
                    if (!Node.equal(out, i * Node.SIZE, commRExpected.get(i), 0)) {
                        return invalid("sector " + commRSector.get(i) + ": Poseidon2(comm_c, comm_r_last) is not the recorded comm_r");
                    }
                }
            }
            byte[][] roots = PathRoots.compute(backend, proofs);
            for (int i = 0; i < roots.length; i++) {
                if (!Arrays.equals(roots[i], expectedRoots.get(i))) {
                    return invalid(where.get(i) + ": the path does not lead to comm_r_last");
                }
            }
            return new Verdict.Valid();
        }
    }

    private static String hexOrLen(byte[] b) {
        return b.length == Node.SIZE ? Node.hex(b) : b.length + " bytes";
    }

    private static void requireCanonical(byte[] v, String what) {
        if (!Node.isCanonical(v)) {
            throw new IllegalArgumentException(what + " is not a canonical 32-byte field element");
        }
    }

    private static Verdict invalid(String reason) {
        return new Verdict.Invalid(reason);
    }

    /** The comm_r of each sector of a map, for callers that keep entries in other shapes. */
    public static SortedMap<Long, byte[]> records(Map<Long, byte[]> commRBySector) {
        return new java.util.TreeMap<>(commRBySector);
    }
}
