package io.postfleet.messaging.chunk;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.postfleet.schemas.Bytes32;
import io.postfleet.schemas.PostResult;

/**
 * Splits a proof bundle into PostResult records of at most {@code maxChunkBytes} proof bytes each. Every chunk
 * repeats the result's other fields (outcome, skipped sectors, timings), so whichever chunk arrives first already
 * tells the gatherer what happened.
 */
public final class ProofChunker {

    /**
     * 900 KiB: leaves about 124 KiB under the broker's 1 MiB {@code message.max.bytes} for the record's other fields,
     * key, headers and batch overhead.
     */
    public static final int DEFAULT_MAX_CHUNK_BYTES = 900 * 1024;

    private final int maxChunkBytes;

    public ProofChunker() {
        this(DEFAULT_MAX_CHUNK_BYTES);
    }

    public ProofChunker(int maxChunkBytes) {
        if (maxChunkBytes < 1) {
            throw new IllegalArgumentException("max chunk size must be at least 1 byte, got " + maxChunkBytes);
        }
        this.maxChunkBytes = maxChunkBytes;
    }

    public int maxChunkBytes() {
        return maxChunkBytes;
    }

    /**
     * The records that carry {@code proof} for the result described by {@code header} (whose chunk fields are
     * ignored). An empty proof gives one record with chunkCount 1 and no hash, as for EXPIRED or FAILED outcomes.
     */
    public List<PostResult> split(PostResult header, byte[] proof) {
        int count = proof.length == 0 ? 1 : (int) ((proof.length + (long) maxChunkBytes - 1) / maxChunkBytes);
        Bytes32 sha = proof.length == 0 ? null : new Bytes32(sha256(proof));
        List<PostResult> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int from = (int) Math.min((long) i * maxChunkBytes, proof.length);
            int to = (int) Math.min((long) from + maxChunkBytes, proof.length);
            chunks.add(PostResult.newBuilder(header)
                    .setChunkIndex(i)
                    .setChunkCount(count)
                    .setProofBytes(proof.length)
                    .setProofSha256(sha)
                    .setProofChunk(ByteBuffer.wrap(Arrays.copyOfRange(proof, from, to)))
                    .build());
        }
        return chunks;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
