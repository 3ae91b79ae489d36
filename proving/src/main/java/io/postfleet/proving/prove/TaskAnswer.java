package io.postfleet.proving.prove;

import java.util.List;
import java.util.Optional;

import io.postfleet.messaging.chunk.ProofChunker;
import io.postfleet.proofs.post.PartitionProof;
import io.postfleet.proofs.post.ProofBundle;
import io.postfleet.schemas.Outcome;
import io.postfleet.schemas.PostResult;

/**
 * The answer to one task before it is sent: the result's fields and, when PROVEN, the proof itself. The proof is
 * encoded only where it leaves the process ({@link #records}); the miner's local prover hands it to the verifier
 * as it is.
 *
 * @param header the result without chunk fields
 * @param proof  the partition proof, present exactly when the outcome is PROVEN
 */
public record TaskAnswer(PostResult header, Optional<PartitionProof> proof) {

    public TaskAnswer {
        if (proof.isPresent() != (header.getOutcome() == Outcome.PROVEN)) {
            throw new IllegalArgumentException("a " + header.getOutcome() + " answer "
                    + (proof.isPresent() ? "carries" : "lacks") + " a proof");
        }
    }

    public Outcome outcome() {
        return header.getOutcome();
    }

    public String taskId() {
        return header.getTaskId();
    }

    /** The proof in the {@code ProofBundle} format, empty unless PROVEN. */
    public byte[] bundle() {
        return proof.map(ProofBundle::encode).orElse(new byte[0]);
    }

    /** The records to publish on the results topic, one per chunk. */
    public List<PostResult> records(ProofChunker chunker) {
        return chunker.split(header, bundle());
    }
}
