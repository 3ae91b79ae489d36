package io.postfleet.proofs.post;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The proof file of {@code post-tool prove} and the proof bytes a worker returns: a {@link PartitionProof} as
 *
 * <pre>
 * "PFPB" | u8 version (1) | u32 n | (u32 len | FallbackPoStSectorProof bincode) × n
 *        | u32 m | (u64 sector_id | u32 len | UTF-8 reason) × m          (little-endian)
 * </pre>
 * Each proof is exactly the bytes filecoin-ffi's generate_single_vanilla_proof returns, so they can be handed to the
 * *_with_vanilla calls as they are.
 */
public final class ProofBundle {

    private static final byte[] MAGIC = {'P', 'F', 'P', 'B'};
    private static final int VERSION = 1;

    private ProofBundle() {
    }

    public static byte[] encode(PartitionProof proof) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeByte(VERSION);
            out.writeInt(Integer.reverseBytes(proof.sectors().size()));
            for (FallbackPoStSectorProof p : proof.sectors()) {
                byte[] b = VanillaProofCodec.encode(p);
                out.writeInt(Integer.reverseBytes(b.length));
                out.write(b);
            }
            out.writeInt(Integer.reverseBytes(proof.skipped().size()));
            for (SkippedSector s : proof.skipped()) {
                byte[] reason = s.reason().getBytes(StandardCharsets.UTF_8);
                out.writeLong(Long.reverseBytes(s.sectorId()));
                out.writeInt(Integer.reverseBytes(reason.length));
                out.write(reason);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes a bundle.
     *
     * @throws IllegalArgumentException saying what is wrong and at which byte
     */
    public static PartitionProof decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 5 || !Arrays.equals(bytes, 0, 4, MAGIC, 0, 4)) {
            throw new IllegalArgumentException("not a proof bundle (no PFPB header)");
        }
        in.position(4);
        int version = in.get() & 0xff;
        if (version != VERSION) {
            throw new IllegalArgumentException("proof bundle version " + version + " is not supported (expected " + VERSION + ")");
        }
        int n = count(in, 4, "sector proof count");
        List<FallbackPoStSectorProof> sectors = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = count(in, 1, "length of sector proof " + i);
            byte[] b = new byte[len];
            in.get(b);
            try {
                sectors.add(VanillaProofCodec.decode(b));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sector proof " + i + ": " + e.getMessage(), e);
            }
        }
        int m = count(in, 12, "skipped sector count");
        List<SkippedSector> skipped = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            need(in, 8, "skipped sector id");
            long id = in.getLong();
            int len = count(in, 1, "reason length of skipped sector " + id);
            byte[] reason = new byte[len];
            in.get(reason);
            try {
                skipped.add(new SkippedSector(id, StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(reason)).toString()));
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("reason of skipped sector " + id + " is not UTF-8");
            }
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " trailing bytes after the proof bundle");
        }
        return new PartitionProof(sectors, skipped);
    }

    private static void need(ByteBuffer in, int n, String what) {
        if (in.remaining() < n) {
            throw new IllegalArgumentException("proof bundle ends inside the " + what + " at byte " + in.position());
        }
    }

    private static int count(ByteBuffer in, int minItemBytes, String what) {
        need(in, 4, what);
        int at = in.position();
        long n = in.getInt() & 0xffffffffL;
        if (n > in.remaining() / minItemBytes) {
            throw new IllegalArgumentException("the " + what + " " + n + " at byte " + at + " exceeds the remaining "
                    + in.remaining() + " bytes");
        }
        return (int) n;
    }
}
