package io.postfleet.proofs.post;

import io.postfleet.proofs.merkle.Node;
import io.postfleet.proofs.sector.SectorSize;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Challenges of fallback PoSt, all SHA-256 with little-endian integers: which eligible sector a winning PoSt
 * challenges, and which leaves of a sector a window or winning proof opens. The prover id is an input only to the
 * winning sector selection.
 */
public final class ChallengeDeriver {

    /** Upstream WINDOW_POST_CHALLENGE_COUNT: leaves opened per sector in a window proof. */
    public static final int WINDOW_CHALLENGES = 10;
    /** Upstream WINNING_POST_CHALLENGE_COUNT: leaves opened in the one winning sector. */
    public static final int WINNING_CHALLENGES = 66;

    private ChallengeDeriver() {
    }

    /**
     * Index into the eligible-sector list (ascending sector number) of the sector a winning PoSt proves:
     * {@code u64_le(SHA256(prover_id ‖ randomness ‖ u64_le(0))[0..8]) mod eligibleCount}.
     */
    public static int winningSectorIndex(byte[] randomness, byte[] proverId, long eligibleCount) {
        if (eligibleCount <= 0) {
            throw new IllegalArgumentException("no eligible sectors: a winning PoSt needs at least one");
        }
        requireNode(randomness, "randomness");
        requireNode(proverId, "prover id");
        MessageDigest sha = sha256();
        sha.update(proverId);
        sha.update(randomness);
        sha.update(le64(0));
        return (int) Long.remainderUnsigned(first8(sha.digest()), eligibleCount);
    }

    /** {@code u64_le(SHA256(randomness ‖ u64_le(sector_id) ‖ u64_le(challenge_index))[0..8]) mod nodes}. */
    public static long leaf(SectorSize size, byte[] randomness, long sectorId, long challengeIndex) {
        requireNode(randomness, "randomness");
        MessageDigest sha = sha256();
        sha.update(randomness);
        sha.update(le64(sectorId));
        sha.update(le64(challengeIndex));
        return Long.remainderUnsigned(first8(sha.digest()), size.nodes());
    }

    /** Upstream get_challenge_index: V1_2 drops the sector's position. */
    public static long challengeIndex(ApiVersion api, long sectorIndex, int challengesPerSector, int n) {
        return api == ApiVersion.V1_2 ? n : sectorIndex * challengesPerSector + n;
    }

    /**
     * The 10 leaves a window proof opens in sector {@code sectorId} at global position {@code sectorIndex}
     * (partition index × sectors per partition + position in the partition; ignored by V1_2).
     */
    public static long[] window(SectorSize size, ApiVersion api, byte[] randomness, long sectorId, long sectorIndex) {
        long[] out = new long[WINDOW_CHALLENGES];
        for (int n = 0; n < WINDOW_CHALLENGES; n++) {
            out[n] = leaf(size, randomness, sectorId, challengeIndex(api, sectorIndex, WINDOW_CHALLENGES, n));
        }
        return out;
    }

    /** The 66 leaves a winning proof opens in the challenged sector: leaf(randomness, id, j) for j = 0..65 (V1_0). */
    public static long[] winning(SectorSize size, byte[] randomness, long sectorId) {
        long[] out = new long[WINNING_CHALLENGES];
        for (int j = 0; j < WINNING_CHALLENGES; j++) {
            out[j] = leaf(size, randomness, sectorId, j);
        }
        return out;
    }

    /** The prover id of a miner actor: unsigned LEB128 of the actor id, zero-padded to 32 bytes. */
    public static byte[] proverId(long actorId) {
        byte[] out = new byte[Node.SIZE];
        long v = actorId;
        int i = 0;
        do {
            int b = (int) (v & 0x7f);
            v >>>= 7;
            out[i++] = (byte) (v != 0 ? b | 0x80 : b);
        } while (v != 0);
        return out;
    }

    private static void requireNode(byte[] v, String what) {
        if (v == null || v.length != Node.SIZE) {
            throw new IllegalArgumentException(what + " must be 32 bytes");
        }
        if (!Node.isCanonical(v, 0)) {
            throw new IllegalArgumentException(what + " " + Node.hex(v) + " is not a canonical field element"
                    + " (chain randomness must have byte 31 masked with 0x3f)");
        }
    }

    private static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static long first8(byte[] h) {
        return ByteBuffer.wrap(h, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JDK", e);
        }
    }
}
