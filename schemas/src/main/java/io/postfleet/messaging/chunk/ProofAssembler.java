package io.postfleet.messaging.chunk;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.postfleet.schemas.PostResult;

/**
 * Collects PostResult chunks until a result is complete. Chunks of one result are told apart from another worker's
 * answer to the same task by (task id, worker id, proof SHA-256), so two workers proving the same task never mix.
 * Arrival order does not matter; an exact duplicate (a producer retry, a replay) is ignored; a chunk that
 * contradicts one already held, or a bundle whose SHA-256 differs, is a {@link ChunkIntegrityException} naming the
 * task. Not thread-safe: one gatherer thread feeds it.
 */
public final class ProofAssembler {

    private record Key(String taskId, String workerId, String sha) {
    }

    private static final class Partial {
        final PostResult first;
        final byte[][] chunks;
        int held;
        final Instant since;

        Partial(PostResult first, Instant since) {
            this.first = first;
            this.chunks = new byte[first.getChunkCount()][];
            this.since = since;
        }
    }

    private final Map<Key, Partial> partials = new HashMap<>();

    /**
     * Adds one chunk.
     *
     * @return the whole result once its last missing chunk arrived; empty while chunks are missing (or for a
     *         duplicate of a result already completed and forgotten: the caller dedupes by task id)
     */
    public Optional<AssembledResult> accept(PostResult chunk) {
        String task = chunk.getTaskId();
        int count = chunk.getChunkCount();
        int index = chunk.getChunkIndex();
        if (count < 1 || index < 0 || index >= count) {
            throw new ChunkIntegrityException(task, "task " + task + " from worker " + chunk.getWorkerId()
                    + ": chunk " + index + " of " + count + " is out of range");
        }
        byte[] data = bytes(chunk.getProofChunk());
        if (count == 1) {
            check(chunk, data);
            return Optional.of(new AssembledResult(chunk, data));
        }
        String sha = chunk.getProofSha256() == null ? "" : hex(chunk.getProofSha256().bytes());
        Key key = new Key(task, chunk.getWorkerId(), sha);
        Partial p = partials.computeIfAbsent(key, k -> new Partial(chunk, Instant.now()));
        if (p.first.getChunkCount() != count || p.first.getProofBytes() != chunk.getProofBytes()) {
            throw new ChunkIntegrityException(task, "task " + task + " from worker " + chunk.getWorkerId()
                    + ": chunk " + index + " says " + count + " chunks of a " + chunk.getProofBytes()
                    + "-byte proof, earlier chunks said " + p.first.getChunkCount() + " chunks of "
                    + p.first.getProofBytes() + " bytes");
        }
        byte[] held = p.chunks[index];
        if (held != null) {
            if (!Arrays.equals(held, data)) {
                partials.remove(key);
                throw new ChunkIntegrityException(task, "task " + task + " from worker " + chunk.getWorkerId()
                        + ": chunk " + index + " arrived twice with different contents; result discarded");
            }
            return Optional.empty();
        }
        p.chunks[index] = data;
        p.held++;
        if (p.held < count) {
            return Optional.empty();
        }
        partials.remove(key);
        ByteArrayOutputStream whole = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8,
                Math.max(0, chunk.getProofBytes())));
        for (byte[] c : p.chunks) {
            whole.writeBytes(c);
        }
        byte[] proof = whole.toByteArray();
        PostResult header = p.first.getChunkIndex() == 0 ? p.first : firstOf(p);
        check(header, proof);
        return Optional.of(new AssembledResult(header, proof));
    }

    private static PostResult firstOf(Partial p) {
        return PostResult.newBuilder(p.first).setChunkIndex(0).setProofChunk(ByteBuffer.wrap(p.chunks[0])).build();
    }

    /** Results still missing chunks, as "task from worker: held/count chunks". */
    public List<String> pending() {
        return partials.entrySet().stream()
                .map(e -> e.getKey().taskId() + " from worker " + e.getKey().workerId() + ": " + e.getValue().held
                        + "/" + e.getValue().chunks.length + " chunks")
                .sorted().toList();
    }

    /** Drops incomplete results older than {@code age} (a worker that died mid-send); returns their task ids. */
    public List<String> evictOlderThan(Duration age) {
        Instant limit = Instant.now().minus(age);
        List<String> gone = partials.entrySet().stream().filter(e -> e.getValue().since.isBefore(limit))
                .map(e -> e.getKey().taskId()).sorted().toList();
        partials.entrySet().removeIf(e -> e.getValue().since.isBefore(limit));
        return gone;
    }

    private static void check(PostResult header, byte[] proof) {
        String task = header.getTaskId();
        if (proof.length != header.getProofBytes() && !(proof.length == 0 && header.getProofBytes() == 0)) {
            throw new ChunkIntegrityException(task, "task " + task + " from worker " + header.getWorkerId()
                    + ": reassembled proof has " + proof.length + " bytes, the result says " + header.getProofBytes());
        }
        if (proof.length == 0) {
            return;
        }
        if (header.getProofSha256() == null) {
            throw new ChunkIntegrityException(task, "task " + task + " from worker " + header.getWorkerId()
                    + ": proof of " + proof.length + " bytes carries no proofSha256");
        }
        byte[] want = header.getProofSha256().bytes();
        byte[] have = ProofChunker.sha256(proof);
        if (!Arrays.equals(want, have)) {
            throw new ChunkIntegrityException(task, "task " + task + " from worker " + header.getWorkerId()
                    + ": SHA-256 of the reassembled proof is " + hex(have) + ", the result says " + hex(want)
                    + "; result discarded, the task must be proven again");
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return new byte[0];
        }
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder(b.length * 2);
        for (byte x : b) {
            s.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return s.toString();
    }
}
