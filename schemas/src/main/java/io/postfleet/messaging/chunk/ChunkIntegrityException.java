package io.postfleet.messaging.chunk;

/**
 * Chunks of one task's proof that cannot form a valid bundle: conflicting chunks, inconsistent counts or sizes, or a
 * SHA-256 that does not match. The message names the task and worker; the result must be discarded and the task
 * proven again.
 */
public final class ChunkIntegrityException extends RuntimeException {

    private final String taskId;

    public ChunkIntegrityException(String taskId, String message) {
        super(message);
        this.taskId = taskId;
    }

    public String taskId() {
        return taskId;
    }
}
