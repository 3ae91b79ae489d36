package io.postfleet.proofs.post;

import io.postfleet.proofs.merkle.InclusionPath;
import io.postfleet.proofs.merkle.MerkleProof;
import io.postfleet.proofs.merkle.Node;
import io.postfleet.proofs.merkle.PathElement;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * bincode 1.x (default options) of upstream {@code FallbackPoStSectorProof}, the bytes filecoin-ffi's
 * generate_single_vanilla_proof returns and the *_with_vanilla calls take: little-endian fixed-width integers, lengths
 * as u64, enum variants as u32, 32-byte arrays raw.
 *
 * <pre>
 * FallbackPoStSectorProof := u64 sector_id | 32 comm_r | u64 n | SectorProof × n
 * SectorProof   := u64 n | MerkleProof × n | 32 comm_c | 32 comm_r_last
 * MerkleProof   := u32 tag | Single: 32 root, 32 leaf, path | Sub: path base, path sub, 32 root, 32 leaf
 *                           | Top: path base, path sub, path top, 32 root, 32 leaf
 * InclusionPath := u64 n | (u64 n_hashes | 32 × n_hashes | u64 index) × n
 * </pre>
 * Decoding is strict: unknown tags, lengths beyond the input and trailing bytes are errors.
 */
public final class VanillaProofCodec {

    private VanillaProofCodec() {
    }

    public static byte[] encode(FallbackPoStSectorProof p) {
        Out o = new Out();
        o.u64(p.sectorId());
        o.node(p.commR());
        o.u64(p.sectors().size());
        for (SectorProof sp : p.sectors()) {
            o.u64(sp.inclusionProofs().size());
            for (MerkleProof mp : sp.inclusionProofs()) {
                o.u32(mp.tag());
                if (mp instanceof MerkleProof.Single s) {
                    o.node(s.root());
                    o.node(s.leaf());
                    o.path(s.base());
                } else if (mp instanceof MerkleProof.Sub s) {
                    o.path(s.base());
                    o.path(s.sub());
                    o.node(s.root());
                    o.node(s.leaf());
                } else if (mp instanceof MerkleProof.Top t) {
                    o.path(t.base());
                    o.path(t.sub());
                    o.path(t.top());
                    o.node(t.root());
                    o.node(t.leaf());
                }
            }
            o.node(sp.commC());
            o.node(sp.commRLast());
        }
        return o.bytes();
    }

    /**
     * Decodes a proof.
     *
     * @throws IllegalArgumentException saying where the bytes stop making sense
     */
    public static FallbackPoStSectorProof decode(byte[] bytes) {
        In in = new In(bytes);
        long sectorId = in.u64();
        byte[] commR = in.node();
        int nSectors = in.count(8 + 64);
        List<SectorProof> sectors = new ArrayList<>(nSectors);
        for (int s = 0; s < nSectors; s++) {
            int nIncl = in.count(4 + 64 + 8);
            List<MerkleProof> incl = new ArrayList<>(nIncl);
            for (int i = 0; i < nIncl; i++) {
                long at = in.pos();
                long tag = in.u32();
                incl.add(switch ((int) tag) {
                    case 0 -> {
                        byte[] root = in.node();
                        byte[] leaf = in.node();
                        yield new MerkleProof.Single(root, leaf, in.path());
                    }
                    case 1 -> {
                        InclusionPath base = in.path();
                        InclusionPath sub = in.path();
                        yield new MerkleProof.Sub(base, sub, in.node(), in.node());
                    }
                    case 2 -> {
                        InclusionPath base = in.path();
                        InclusionPath sub = in.path();
                        InclusionPath top = in.path();
                        yield new MerkleProof.Top(base, sub, top, in.node(), in.node());
                    }
                    default -> throw new IllegalArgumentException("unknown MerkleProof variant " + Integer.toUnsignedString((int) tag)
                            + " at byte " + at);
                });
            }
            sectors.add(new SectorProof(incl, in.node(), in.node()));
        }
        if (in.remaining() != 0) {
            throw new IllegalArgumentException(in.remaining() + " trailing bytes after the proof at byte " + in.pos());
        }
        return new FallbackPoStSectorProof(sectorId, commR, sectors);
    }

    private static final class Out {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void u64(long v) {
            scratch.clear();
            b.write(scratch.putLong(v).array(), 0, 8);
        }

        void u32(int v) {
            scratch.clear();
            b.write(scratch.putInt(v).array(), 0, 4);
        }

        void node(byte[] n) {
            if (n.length != Node.SIZE) {
                throw new IllegalArgumentException("a node is 32 bytes, got " + n.length);
            }
            b.write(n, 0, Node.SIZE);
        }

        void path(InclusionPath p) {
            u64(p.size());
            for (PathElement e : p.elements()) {
                u64(e.siblingCount());
                b.write(e.siblings(), 0, e.siblings().length);
                u64(e.index());
            }
        }

        byte[] bytes() {
            return b.toByteArray();
        }
    }

    private static final class In {
        private final ByteBuffer buf;

        In(byte[] bytes) {
            buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        long pos() {
            return buf.position();
        }

        int remaining() {
            return buf.remaining();
        }

        private void need(long n, String what) {
            if (n > buf.remaining()) {
                throw new IllegalArgumentException("proof ends at byte " + buf.limit() + " inside " + what + " at byte "
                        + buf.position());
            }
        }

        long u64() {
            need(8, "a u64");
            return buf.getLong();
        }

        long u32() {
            need(4, "a u32");
            return buf.getInt() & 0xffffffffL;
        }

        /** A length prefix, refused when that many items of at least {@code minItemBytes} cannot fit. */
        int count(int minItemBytes) {
            long at = buf.position();
            long n = u64();
            if (n < 0 || n > buf.remaining() / minItemBytes) {
                throw new IllegalArgumentException("length " + Long.toUnsignedString(n) + " at byte " + at
                        + " exceeds the remaining " + buf.remaining() + " bytes");
            }
            return (int) n;
        }

        byte[] node() {
            need(Node.SIZE, "a 32-byte node");
            byte[] n = new byte[Node.SIZE];
            buf.get(n);
            return n;
        }

        InclusionPath path() {
            int n = count(16);
            List<PathElement> elems = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int hashes = count(Node.SIZE);
                byte[] sib = new byte[hashes * Node.SIZE];
                need(sib.length, "path siblings");
                buf.get(sib);
                long at = buf.position();
                long index = u64();
                if (index < 0 || index > hashes) {
                    throw new IllegalArgumentException("path index " + Long.toUnsignedString(index) + " at byte " + at
                            + " is outside 0.." + hashes);
                }
                elems.add(new PathElement(sib, (int) index));
            }
            return new InclusionPath(elems);
        }
    }
}
