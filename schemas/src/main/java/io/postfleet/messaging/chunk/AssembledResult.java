package io.postfleet.messaging.chunk;

import io.postfleet.schemas.PostResult;

/**
 * A whole result: the first chunk's fields (outcome, skipped sectors, timings; its proofChunk is only that chunk's
 * slice) and the reassembled, hash-checked proof bundle.
 */
public record AssembledResult(PostResult header, byte[] proof) {
    public String taskId() {
        return header.getTaskId();
    }
}
