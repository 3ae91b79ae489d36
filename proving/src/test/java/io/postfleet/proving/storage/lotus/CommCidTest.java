package io.postfleet.proving.storage.lotus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import io.postfleet.proofs.merkle.Node;
import io.postfleet.proofs.sector.TestSectors;
import org.junit.jupiter.api.Test;

/**
 * comm_r CIDs against strings Lotus itself uses. The two sealed CIDs are the mock SealedCIDs of Lotus's integration
 * test kit (filecoin-project/lotus, itests/kit/node_unmanaged.go: "...pkkiekz" for onboarded CC sectors, "...pkkieka"
 * for SnapDeals updates); their digests were decoded with an independent RFC 4648 base32 decoder (Python's
 * base64.b32decode), not with this code. The piece CID is BogusPieceCid1 of the same file (a comm_d, codec
 * fil-commitment-unsealed 0xf101); the dag-cbor CID is the "array-2" fixture of ipld/ipld's cross-codec fixtures
 * (specs/codecs/dag-cbor/fixtures/cross-codec/index.md).
 */
class CommCidTest {

    static final String LOTUS_CC_SEALED_CID = "bagboea4b5abcatlxechwbp7kjpjguna6r6q7ejrhe6mdp3lf34pmswn27pkkiekz";
    static final String LOTUS_CC_COMM_R = "4d77208f60bfea4bd26a341e8fa1f22627279837ed65df1ec959bafbd4a41159";
    static final String LOTUS_SNAP_SEALED_CID = "bagboea4b5abcatlxechwbp7kjpjguna6r6q7ejrhe6mdp3lf34pmswn27pkkieka";
    static final String LOTUS_SNAP_COMM_R = "4d77208f60bfea4bd26a341e8fa1f22627279837ed65df1ec959bafbd4a41140";
    static final String LOTUS_PIECE_CID = "baga6ea4seaqjtovkwk4myyzj56eztkh5pzsk5upksan6f5outesy62bsvl4dsha";
    static final String IPLD_DAG_CBOR_CID = "bafyreihdb57fdysx5h35urvxz64ros7zvywshber7id6t6c6fek37jgyfe";

    @Test
    void lotusSealedCidsDecodeToTheirCommRAndEncodeBackExactly() {
        assertEquals(LOTUS_CC_COMM_R, Node.hex(CommCid.decode(LOTUS_CC_SEALED_CID)));
        assertEquals(LOTUS_SNAP_COMM_R, Node.hex(CommCid.decode(LOTUS_SNAP_SEALED_CID)));
        assertEquals(LOTUS_CC_SEALED_CID, CommCid.encode(Node.parseHex(LOTUS_CC_COMM_R, "comm_r")));
        assertEquals(LOTUS_SNAP_SEALED_CID, CommCid.encode(Node.parseHex(LOTUS_SNAP_COMM_R, "comm_r")));
    }

    @Test
    void everySealedCidStartsWithTheFilCommitmentSealedPoseidonPrefix() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 200; i++) {
            byte[] commR = TestSectors.randomNode(random);
            String cid = CommCid.encode(commR);
            assertTrue(cid.startsWith("bagboea4b5abc"), cid);
            assertEquals(65, cid.length(), cid);
            assertArrayEquals(commR, CommCid.decode(cid));
        }
    }

    @Test
    void aPieceCidIsRefusedAsAnUnsealedCommitment() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommCid.decode(LOTUS_PIECE_CID));
        assertEquals("'" + LOTUS_PIECE_CID + "' has the codec 0xf101 (fil-commitment-unsealed: a comm_d), not "
                + "fil-commitment-sealed (0xf102): not a sealed sector CID", e.getMessage());
    }

    @Test
    void aDagCborCidIsRefusedByItsCodec() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommCid.decode(IPLD_DAG_CBOR_CID));
        assertEquals("'" + IPLD_DAG_CBOR_CID + "' has the codec 0x71, not fil-commitment-sealed (0xf102): not a sealed"
                + " sector CID", e.getMessage());
    }

    @Test
    void theSealedCodecWithAnotherMultihashIsRefused() {
        // 0x01 0xf102 then sha2-256 (0x12), 32 bytes: the Lotus digest under the wrong hash function
        String sha = "bagboeaysebgxoiepmc76us6sni2b5d5b6itcoj4yg7wwlxy6zfm3v66uuqivs";
        assertEquals("'" + sha + "' has the multihash 0x12, not poseidon-bls12_381-a2-fc1 (0xb401)",
                assertThrows(IllegalArgumentException.class, () -> CommCid.decode(sha)).getMessage());
    }

    @Test
    void wrongLengthsVersionsAndMultibasesAreRefused() {
        String short31 = "bagboea4b5abb6tlxechwbp7kjpjguna6r6q7ejrhe6mdp3lf34pmswn27pkkiei";
        assertEquals("'" + short31 + "' has a digest of 31 bytes, comm_r is 32", message(short31));
        String trailing = LOTUS_CC_SEALED_CID + "aa";
        assertEquals("'" + trailing + "' holds 33 digest bytes where its header says 32", message(trailing));
        String v2 = "bakboea4b5abcatlxechwbp7kjpjguna6r6q7ejrhe6mdp3lf34pmswn27pkkiekz";
        assertEquals("'" + v2 + "' is a CIDv2, not a CIDv1", message(v2));
        String upper = "B" + LOTUS_CC_SEALED_CID.substring(1).toUpperCase();
        assertTrue(message(upper).contains("is not in the base32 lower multibase"), message(upper));
        assertTrue(message("QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG").contains("is a CIDv0"));
        assertTrue(message("bagboea4b5abc!").contains("is not base32 lower: '!'"), message("bagboea4b5abc!"));
        assertEquals("'bagboea4b5aba' ends inside its digest length", message("bagboea4b5aba"));
        assertEquals("'bagboea4b5ab' is not base32 lower: it ends with stray bits", message("bagboea4b5ab"));
        assertEquals("empty CID", message(""));
        assertThrows(IllegalArgumentException.class, () -> CommCid.encode(new byte[31]));
    }

    private static String message(String cid) {
        return assertThrows(IllegalArgumentException.class, () -> CommCid.decode(cid)).getMessage();
    }
}
