package io.postfleet.proving.storage.lotus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import io.postfleet.proofs.merkle.Node;
import org.junit.jupiter.api.Test;

/**
 * The body of {@code POST /remote/vanilla/single} as Lotus's client writes it: Go's encoding/json of
 * {@code paths.SingleVanillaParams} (filecoin-project/lotus, storage/paths/http_handler.go: Miner, Sector,
 * ProofType) holding a {@code storiface.PostSectorChallenge} (storage/sealer/storiface: SealProof, SectorNumber,
 * SealedCID, Challenge, Update), the CID in go-cid's JSON form {@code {"/": "..."}}. The SealedCID is Lotus's
 * integration-test CID (itests/kit/node_unmanaged.go).
 */
class SingleVanillaParamsTest {

    static final String CID = CommCidTest.LOTUS_CC_SEALED_CID;
    /** What Go's json.Marshal writes for a 32GiB V1_1 sector's window challenges (struct field order, no spaces). */
    static final String LOTUS_JSON = "{\"Miner\":1000,\"Sector\":{\"SealProof\":8,\"SectorNumber\":7,\"SealedCID\":{\"/\":\""
            + CID + "\"},\"Challenge\":[0,33554431,12345,7,8,9,10,11,12,13],\"Update\":false},\"ProofType\":13}";

    static SingleVanillaParams parse(String json) throws InvalidParamsException {
        return SingleVanillaParams.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static String refusal(String json) {
        return assertThrows(InvalidParamsException.class, () -> parse(json)).getMessage();
    }

    @Test
    void theJsonLotusSendsIsRead() throws Exception {
        SingleVanillaParams p = parse(LOTUS_JSON);
        assertEquals(1000, p.miner());
        assertEquals(13, p.proofType().value());
        assertEquals("StackedDrgWindow32GiBV1_1", p.proofType().name());
        assertEquals(8, p.sector().sealProof().value());
        assertEquals(7, p.sector().sectorNumber());
        assertEquals(CommCidTest.LOTUS_CC_COMM_R, Node.hex(p.sector().commR()));
        assertArrayEquals(new long[] {0, 33554431, 12345, 7, 8, 9, 10, 11, 12, 13}, p.sector().challenge());
        assertEquals(false, p.sector().update());
    }

    @Test
    void theJsonWrittenIsGoSEncodingFieldForField() throws Exception {
        assertEquals(LOTUS_JSON, parse(LOTUS_JSON).toJson());
        String snap = LOTUS_JSON.replace("\"Update\":false", "\"Update\":true").replace(CID,
                CommCidTest.LOTUS_SNAP_SEALED_CID);
        assertEquals(snap, parse(snap).toJson());
        assertTrue(parse(snap).sector().update());
    }

    @Test
    void everyFieldMustBeThereUnderItsExactName() {
        assertEquals("miner: unknown field (SingleVanillaParams has exactly Miner, Sector, ProofType; names are "
                + "case-sensitive)", refusal(LOTUS_JSON.replace("\"Miner\"", "\"miner\"")));
        assertEquals("Sector.Update: missing", refusal(LOTUS_JSON.replace(",\"Update\":false", "")));
        assertEquals("Sector.Sealed: unknown field (PostSectorChallenge has exactly SealProof, SectorNumber, "
                + "SealedCID, Challenge, Update; names are case-sensitive)",
                refusal(LOTUS_JSON.replace("\"Update\":false", "\"Update\":false,\"Sealed\":1")));
        assertEquals("ProofType: missing", refusal(LOTUS_JSON.replace(",\"ProofType\":13", "")));
        assertTrue(refusal(LOTUS_JSON.replace("\"SectorNumber\":7", "\"SectorNumber\":7,\"SectorNumber\":8"))
                .startsWith("body: not JSON: Duplicate field 'SectorNumber'"));
    }

    @Test
    void malformedJsonIsRefusedAsSuch() {
        assertTrue(refusal("{\"Miner\":1000,").startsWith("body: not JSON: "), refusal("{\"Miner\":1000,"));
        assertTrue(refusal(LOTUS_JSON + "{}").startsWith("body: not JSON: "), refusal(LOTUS_JSON + "{}"));
        assertEquals("body: empty; send a SingleVanillaParams JSON object", refusal(""));
        assertEquals("body: must be a JSON object with Miner, Sector, ProofType, got array [1,2]", refusal("[1,2]"));
    }

    @Test
    void numbersMustBeWholeAndInRange() {
        assertEquals("Miner: must be a whole number, got string \"1000\"", refusal(LOTUS_JSON.replace("1000", "\"1000\"")));
        assertEquals("Miner: must not be negative, got -1", refusal(LOTUS_JSON.replace("1000", "-1")));
        assertEquals("Sector.SectorNumber: must be a whole number, got number 7.5",
                refusal(LOTUS_JSON.replace("\"SectorNumber\":7", "\"SectorNumber\":7.5")));
        assertEquals("Sector.SectorNumber: 18446744073709551615 is out of range (at most 9223372036854775807)",
                refusal(LOTUS_JSON.replace("\"SectorNumber\":7", "\"SectorNumber\":18446744073709551615")));
        assertEquals("Sector.Update: must be true or false, got 0",
                refusal(LOTUS_JSON.replace("\"Update\":false", "\"Update\":0")));
    }

    @Test
    void proofTypesMustBeKnownAndAgreeOnTheSectorSize() {
        assertEquals("ProofType: 15 is not a RegisteredPoStProof (winning 0..4, window 5..14)",
                refusal(LOTUS_JSON.replace("\"ProofType\":13", "\"ProofType\":15")));
        assertEquals("Sector.SealProof: 20 is not a RegisteredSealProof (0..19)",
                refusal(LOTUS_JSON.replace("\"SealProof\":8", "\"SealProof\":20")));
        assertEquals("ProofType: StackedDrgWindow64GiBV1_1 (14) proves 64GiB sectors, but Sector.SealProof "
                + "StackedDrg32GiBV1_1 (8) seals 32GiB sectors",
                refusal(LOTUS_JSON.replace("\"ProofType\":13", "\"ProofType\":14")));
    }

    @Test
    void challengesMustBeLeavesOfTheSectorAndNoMoreThanTheKindOpens() {
        assertEquals("Sector.Challenge[1]: leaf 1073741824 is beyond the 1073741824 leaves of a 32GiB sector "
                + "(0..1073741823)", refusal(LOTUS_JSON.replace("33554431", "1073741824")));
        assertEquals("Sector.Challenge[0]: must be a leaf index (a whole number from 0), got -3",
                refusal(LOTUS_JSON.replace("[0,", "[-3,")));
        assertEquals("Sector.Challenge: 11 challenges, but a StackedDrgWindow32GiBV1_1 sector proof opens 10",
                refusal(LOTUS_JSON.replace("[0,", "[0,1,")));
        assertEquals("Sector.Challenge: is empty: name the leaves to open (10 for window PoSt)",
                refusal(LOTUS_JSON.replaceAll("\\[0,[0-9,]*]", "null")));
        assertEquals("Sector.Challenge: must be an array of leaf indices, got string \"0\"",
                refusal(LOTUS_JSON.replaceAll("\\[0,[0-9,]*]", "\"0\"")));
    }

    @Test
    void theSealedCidMustBeASealedCommitmentInGoCidJson() {
        assertEquals("Sector.SealedCID: must be a CID as Lotus writes it in JSON, {\"/\": \"bagboea4b5abc...\"}, got \""
                + CID + "\"", refusal(LOTUS_JSON.replace("{\"/\":\"" + CID + "\"}", "\"" + CID + "\"")));
        assertEquals("Sector.SealedCID: '" + CommCidTest.LOTUS_PIECE_CID + "' has the codec 0xf101 "
                + "(fil-commitment-unsealed: a comm_d), not fil-commitment-sealed (0xf102): not a sealed sector CID",
                refusal(LOTUS_JSON.replace(CID, CommCidTest.LOTUS_PIECE_CID)));
        String nonCanonical = CommCid.encode(java.util.HexFormat.of().parseHex("ff".repeat(32)));
        assertEquals("Sector.SealedCID: comm_r " + "ff".repeat(32) + " is not a canonical field element",
                refusal(LOTUS_JSON.replace(CID, nonCanonical)));
    }
}
