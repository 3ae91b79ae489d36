package io.postfleet.proving.storage.lotus;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.postfleet.proofs.merkle.Node;

/**
 * The body of {@code POST /remote/vanilla/single}, Lotus's {@code paths.SingleVanillaParams}, as Go's encoding/json
 * writes it (field names and order of the Go structs, the CID as {@code {"/": "..."}}):
 *
 * <pre>
 * {"Miner":1000,"Sector":{"SealProof":8,"SectorNumber":7,"SealedCID":{"/":"bagboea4b5abc..."},
 *  "Challenge":[12,5,...],"Update":false},"ProofType":13}
 * </pre>
 *
 * {@link #parse} is stricter than Go's decoder: every field must be there under its exact name, no other field may
 * be, numbers must be whole and in range, the seal and PoSt proof types must be known and of one sector size, and
 * every challenge must be a leaf of that size, as many as the PoSt kind opens at most. A request that passes names
 * one sector to prove, never a path.
 *
 * @param miner     the miner actor id ({@code Miner}); the sector files are {@code s-t0<miner>-<number>}
 * @param sector    the sector and its challenges ({@code Sector})
 * @param proofType the RegisteredPoStProof ({@code ProofType})
 */
public record SingleVanillaParams(long miner, PostSectorChallenge sector, PoStProofType proofType) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private static final List<String> TOP = List.of("Miner", "Sector", "ProofType");
    private static final List<String> SECTOR = List.of("SealProof", "SectorNumber", "SealedCID", "Challenge", "Update");

    /**
     * Reads a request body.
     *
     * @throws InvalidParamsException naming the first field that is missing, unknown or not acceptable
     */
    public static SingleVanillaParams parse(byte[] body) throws InvalidParamsException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidParamsException("body", "not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() + " column "
                    + e.getLocation().getColumnNr() : ""));
        } catch (IOException e) {
            throw new InvalidParamsException("body", "unreadable: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidParamsException("body", "empty; send a SingleVanillaParams JSON object");
        }
        object(root, "body", TOP);
        long miner = whole(root.get("Miner"), "Miner", Long.MAX_VALUE);
        PoStProofType proofType;
        try {
            proofType = PoStProofType.of(whole(root.get("ProofType"), "ProofType", Integer.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            throw new InvalidParamsException("ProofType", e.getMessage());
        }
        JsonNode s = root.get("Sector");
        object(s, "Sector", SECTOR);
        SealProofType sealProof;
        try {
            sealProof = SealProofType.of(whole(s.get("SealProof"), "Sector.SealProof", Integer.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            throw new InvalidParamsException("Sector.SealProof", e.getMessage());
        }
        if (sealProof.size() != proofType.size()) {
            throw new InvalidParamsException("ProofType", proofType + " proves " + proofType.size() + " sectors, but "
                    + "Sector.SealProof " + sealProof + " seals " + sealProof.size() + " sectors");
        }
        long number = whole(s.get("SectorNumber"), "Sector.SectorNumber", Long.MAX_VALUE);
        byte[] commR = sealedCid(s.get("SealedCID"));
        long[] challenge = challenges(s.get("Challenge"), proofType);
        JsonNode update = s.get("Update");
        if (!update.isBoolean()) {
            throw new InvalidParamsException("Sector.Update", "must be true or false, got " + update);
        }
        return new SingleVanillaParams(miner, new PostSectorChallenge(sealProof, number, commR, challenge,
                update.booleanValue()), proofType);
    }

    /** The body as Lotus's client sends it: Go's encoding/json of the structs, no spaces. */
    public String toJson() {
        StringBuilder b = new StringBuilder(160);
        b.append("{\"Miner\":").append(miner)
                .append(",\"Sector\":{\"SealProof\":").append(sector.sealProof().value())
                .append(",\"SectorNumber\":").append(sector.sectorNumber())
                .append(",\"SealedCID\":{\"/\":\"").append(CommCid.encode(sector.commR())).append("\"}")
                .append(",\"Challenge\":[");
        long[] c = sector.challenge();
        for (int i = 0; i < c.length; i++) {
            b.append(i == 0 ? "" : ",").append(c[i]);
        }
        return b.append("],\"Update\":").append(sector.update()).append("},\"ProofType\":").append(proofType.value())
                .append('}').toString();
    }

    private static void object(JsonNode n, String field, List<String> names) throws InvalidParamsException {
        if (n == null || !n.isObject()) {
            throw new InvalidParamsException(field, "must be a JSON object with " + String.join(", ", names)
                    + (n == null ? "" : ", got " + kind(n)));
        }
        Set<String> known = Set.copyOf(names);
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw new InvalidParamsException(prefix(field) + name, "unknown field (" + objectName(field) + " has exactly "
                        + String.join(", ", names) + "; names are case-sensitive)");
            }
        }
        for (String name : names) {
            if (!n.has(name)) {
                throw new InvalidParamsException(prefix(field) + name, "missing");
            }
        }
    }

    private static String prefix(String field) {
        return field.equals("body") ? "" : field + ".";
    }

    private static String objectName(String field) {
        return field.equals("body") ? "SingleVanillaParams" : "PostSectorChallenge";
    }

    /** A whole number 0..max. */
    private static long whole(JsonNode n, String field, long max) throws InvalidParamsException {
        if (n == null || !n.isIntegralNumber()) {
            throw new InvalidParamsException(field, "must be a whole number, got " + (n == null ? "nothing" : kind(n)));
        }
        BigInteger v = n.bigIntegerValue();
        if (v.signum() < 0) {
            throw new InvalidParamsException(field, "must not be negative, got " + v);
        }
        if (v.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new InvalidParamsException(field, v + " is out of range (at most " + max + ")");
        }
        return v.longValueExact();
    }

    private static byte[] sealedCid(JsonNode n) throws InvalidParamsException {
        String field = "Sector.SealedCID";
        if (n == null || !n.isObject() || n.size() != 1 || !n.has("/") || !n.get("/").isTextual()) {
            throw new InvalidParamsException(field, "must be a CID as Lotus writes it in JSON, {\"/\": \"bagboea4b5abc...\"}"
                    + ", got " + (n == null ? "nothing" : n.toString()));
        }
        byte[] commR;
        try {
            commR = CommCid.decode(n.get("/").textValue());
        } catch (IllegalArgumentException e) {
            throw new InvalidParamsException(field, e.getMessage());
        }
        if (!Node.isCanonical(commR)) {
            throw new InvalidParamsException(field, "comm_r " + Node.hex(commR) + " is not a canonical field element");
        }
        return commR;
    }

    private static long[] challenges(JsonNode n, PoStProofType type) throws InvalidParamsException {
        String field = "Sector.Challenge";
        if (n == null || !(n.isArray() || n.isNull())) {
            throw new InvalidParamsException(field, "must be an array of leaf indices, got "
                    + (n == null ? "nothing" : kind(n)));
        }
        int most = type.challengesPerSector();
        if (n.isNull() || n.isEmpty()) {
            throw new InvalidParamsException(field, "is empty: name the leaves to open (" + most + " for "
                    + type.kind().name().toLowerCase(java.util.Locale.ROOT) + " PoSt)");
        }
        if (n.size() > most) {
            throw new InvalidParamsException(field, n.size() + " challenges, but a " + type.name() + " sector proof "
                    + "opens " + most);
        }
        long leaves = type.size().nodes();
        List<Long> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            String at = field + "[" + i + "]";
            JsonNode c = n.get(i);
            if (!c.isIntegralNumber() || c.bigIntegerValue().signum() < 0) {
                throw new InvalidParamsException(at, "must be a leaf index (a whole number from 0), got " + c);
            }
            BigInteger v = c.bigIntegerValue();
            if (v.compareTo(BigInteger.valueOf(leaves)) >= 0) {
                throw new InvalidParamsException(at, "leaf " + v + " is beyond the " + leaves + " leaves of a "
                        + type.size() + " sector (0.." + (leaves - 1) + ")");
            }
            out.add(v.longValueExact());
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static String kind(JsonNode n) {
        String text = n.toString();
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + shown;
    }
}
