package io.postfleet.miner.gather;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.postfleet.proofs.post.PartitionProof;
import io.postfleet.proofs.post.ProofBundle;
import io.postfleet.proving.prove.TaskAnswer;
import io.postfleet.schemas.Outcome;
import io.postfleet.schemas.PostResult;

/**
 * A complete answer to a task, from a worker (reassembled from its result records) or from the miner's local prover.
 *
 * @param proof   what came with the answer: a proof (decoded once, here), bytes that are not one, or nothing
 * @param skipped sector ids the prover skipped, with reasons, as the result reports them
 * @param readFrom for each sector the prover's own storage did not hold, the storage node that read it
 */
public record Answer(String taskId, String worker, Outcome outcome, Proof proof, List<Skip> skipped, String error,
                     Instant startedAt, Instant finishedAt, String backend, Map<Long, String> readFrom) {

    /**
     * A sector the prover could not prove, and why.
     *
     * @param notFound the prover's storage paths do not hold it (it says nothing of the sector itself)
     */
    public record Skip(long sectorId, String reason, boolean notFound) {
    }

    /** The proof an answer carries. */
    public sealed interface Proof {

        /** No proof: the answer is not PROVEN. */
        record None() implements Proof {
        }

        /**
         * @param proof  the partition proof
         * @param bytes  the length of its bundle encoding
         * @param sha256 the SHA-256 of its bundle encoding, hex: what the submission records
         */
        record Decoded(PartitionProof proof, int bytes, String sha256) implements Proof {
        }

        /** Bytes that do not decode as a proof bundle. */
        record Undecodable(String problem, int bytes) implements Proof {
        }
    }

    public Answer {
        skipped = List.copyOf(skipped);
        readFrom = readFrom == null ? Map.of() : Map.copyOf(readFrom);
    }

    private static Map<Long, String> readFrom(PostResult h) {
        Map<Long, String> m = new TreeMap<>();
        h.getRemoteReads().forEach(r -> m.put(r.getSectorId(), r.getHolder()));
        return m;
    }

    /** The answer a worker's result header (reassembled, without chunk fields) and its proof bundle carry. */
    public static Answer fromWorker(PostResult h, byte[] bundle) {
        Proof proof;
        if (bundle.length == 0) {
            proof = new Proof.None();
        } else {
            try {
                proof = new Proof.Decoded(ProofBundle.decode(bundle), bundle.length, sha256(bundle));
            } catch (RuntimeException e) {
                proof = new Proof.Undecodable(e.getMessage(), bundle.length);
            }
        }
        return new Answer(h.getTaskId(), h.getWorkerId(), h.getOutcome(), proof, skips(h), h.getError(),
                h.getStartedAt(), h.getFinishedAt(), h.getBackend(), readFrom(h));
    }

    /** The local prover's answer: its proof goes to the verifier as it is, encoded only to record its hash. */
    public static Answer fromLocal(TaskAnswer a) {
        PostResult h = a.header();
        Proof proof = a.proof().<Proof>map(p -> {
            byte[] bundle = ProofBundle.encode(p);
            return new Proof.Decoded(p, bundle.length, sha256(bundle));
        }).orElse(new Proof.None());
        return new Answer(h.getTaskId(), h.getWorkerId(), h.getOutcome(), proof, skips(h), h.getError(),
                h.getStartedAt(), h.getFinishedAt(), h.getBackend(), readFrom(h));
    }

    private static List<Skip> skips(PostResult h) {
        return h.getSkipped().stream().map(s -> new Skip(s.getSectorId(), s.getReason(), s.getNotFound())).toList();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
