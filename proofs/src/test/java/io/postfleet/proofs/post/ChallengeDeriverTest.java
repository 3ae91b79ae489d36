package io.postfleet.proofs.post;

import io.postfleet.proofs.sector.SectorSize;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The sample values of docs/post-spec.md section 3.6: randomness 00..1f, prover id LEB128(1000). */
class ChallengeDeriverTest {

    static byte[] randomness() {
        byte[] r = new byte[32];
        for (int i = 0; i < 32; i++) {
            r[i] = (byte) i;
        }
        return r;
    }

    @Test
    void proverIdIsLeb128OfTheActorIdPadded() {
        assertEquals("e807" + "00".repeat(30), HexFormat.of().formatHex(ChallengeDeriver.proverId(1000)));
        assertEquals("00".repeat(32), HexFormat.of().formatHex(ChallengeDeriver.proverId(0)));
        assertEquals("7f" + "00".repeat(31), HexFormat.of().formatHex(ChallengeDeriver.proverId(127)));
    }

    @Test
    void winningSectorChallengeOfTheSpecSample() {
        assertEquals(6, ChallengeDeriver.winningSectorIndex(randomness(), ChallengeDeriver.proverId(1000), 1000));
    }

    @Test
    void windowV12Challenges2KiB() {
        assertArrayEquals(new long[] {10, 0, 6, 16, 52, 40, 51, 7, 7, 47},
                ChallengeDeriver.window(SectorSize.KIB_2, ApiVersion.V1_2, randomness(), 42, 0));
    }

    @Test
    void windowV12ChallengesIgnoreTheSectorPosition() {
        assertArrayEquals(ChallengeDeriver.window(SectorSize.GIB_32, ApiVersion.V1_2, randomness(), 42, 0),
                ChallengeDeriver.window(SectorSize.GIB_32, ApiVersion.V1_2, randomness(), 42, 77));
    }

    @Test
    void windowV12Challenges32GiB() {
        assertArrayEquals(new long[] {509450890, 1068162304, 182600454, 459069328, 831756340, 869101544,
                        666208947, 209300359, 527003527, 482155247},
                ChallengeDeriver.window(SectorSize.GIB_32, ApiVersion.V1_2, randomness(), 42, 0));
    }

    @Test
    void windowV10ChallengesDependOnTheSectorIndex() {
        long[] c = ChallengeDeriver.window(SectorSize.GIB_32, ApiVersion.V1_0, randomness(), 42, 3);
        assertEquals(475895680, c[0]);
        assertEquals(161738210, c[1]);
        assertEquals(493756753, c[2]);
        assertArrayEquals(c, ChallengeDeriver.window(SectorSize.GIB_32, ApiVersion.V1_1, randomness(), 42, 3));
    }

    @Test
    void winningLeavesEqualTheWindowV12Formula() {
        long[] w = ChallengeDeriver.winning(SectorSize.GIB_32, randomness(), 42);
        assertEquals(66, w.length);
        assertArrayEquals(new long[] {509450890, 1068162304, 182600454, 459069328, 831756340},
                java.util.Arrays.copyOf(w, 5));
    }

    @Test
    void nonCanonicalRandomnessIsRefused() {
        byte[] r = randomness();
        r[31] = (byte) 0xff;
        assertThrows(IllegalArgumentException.class, () -> ChallengeDeriver.leaf(SectorSize.KIB_2, r, 1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> ChallengeDeriver.winningSectorIndex(r, ChallengeDeriver.proverId(1000), 10));
    }

    @Test
    void apiVersionsParse() {
        assertEquals(ApiVersion.V1_2, ApiVersion.parse("v1_2"));
        assertEquals(ApiVersion.V1_0, ApiVersion.parse("V1_0_0"));
        assertEquals(ApiVersion.V1_1, ApiVersion.parse("1.1"));
        assertThrows(IllegalArgumentException.class, () -> ApiVersion.parse("v2"));
    }
}
