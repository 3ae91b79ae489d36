package io.postfleet.worker.prove;

import java.util.List;

import io.postfleet.messaging.chunk.ProofChunker;
import io.postfleet.schemas.Outcome;
import io.postfleet.schemas.PostResult;

/**
 * The answer to one task before it is sent: the result's fields and the proof bundle ({@code ProofBundle} format,
 * empty unless PROVEN).
 *
 * @param header the result without chunk fields
 * @param proof  the encoded proof bundle
 */
public record TaskAnswer(PostResult header, byte[] proof) {

    public Outcome outcome() {
        return header.getOutcome();
    }

    public String taskId() {
        return header.getTaskId();
    }

    /** The records to publish on the results topic, one per chunk. */
    public List<PostResult> records(ProofChunker chunker) {
        return chunker.split(header, proof);
    }
}
