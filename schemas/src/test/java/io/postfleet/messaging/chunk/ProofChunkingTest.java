package io.postfleet.messaging.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import io.postfleet.schemas.Outcome;
import io.postfleet.schemas.PostKind;
import io.postfleet.schemas.PostResult;
import org.junit.jupiter.api.Test;

class ProofChunkingTest {

    static PostResult header(String task, String worker) {
        return PostResult.newBuilder()
                .setTaskId(task).setKind(PostKind.WINDOW).setWorkerId(worker).setOutcome(Outcome.PROVEN)
                .setSkipped(List.of()).setStartedAt(Instant.ofEpochMilli(1000)).setFinishedAt(Instant.ofEpochMilli(2000))
                .build();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aFullPartitionSizedProofSplitsUnderTheRecordLimitAndReassemblesInAnyOrder() {
        byte[] proof = random(59_000_000, 1);
        List<PostResult> chunks = new ArrayList<>(new ProofChunker().split(header("w-1-2-3-4", "a"), proof));
        assertEquals((59_000_000 + 900 * 1024 - 1) / (900 * 1024), chunks.size());
        for (PostResult c : chunks) {
            assertTrue(c.getProofChunk().remaining() <= ProofChunker.DEFAULT_MAX_CHUNK_BYTES);
            assertEquals(59_000_000L, c.getProofBytes());
        }
        Collections.shuffle(chunks, new Random(7));
        ProofAssembler assembler = new ProofAssembler();
        Optional<AssembledResult> done = Optional.empty();
        for (int i = 0; i < chunks.size(); i++) {
            done = assembler.accept(chunks.get(i));
            assertEquals(i == chunks.size() - 1, done.isPresent(), "complete only after the last chunk");
        }
        assertArrayEquals(proof, done.orElseThrow().proof());
        assertEquals(0, done.get().header().getChunkIndex());
        assertEquals(List.of(), assembler.pending());
    }

    @Test
    void duplicatesAreIgnoredAndMissingChunksLeaveTheResultPending() {
        byte[] proof = random(10_000, 2);
        List<PostResult> chunks = new ProofChunker(3000).split(header("t", "a"), proof);
        assertEquals(4, chunks.size());
        ProofAssembler assembler = new ProofAssembler();
        assertTrue(assembler.accept(chunks.get(0)).isEmpty());
        assertTrue(assembler.accept(chunks.get(0)).isEmpty());
        assertTrue(assembler.accept(chunks.get(3)).isEmpty());
        assertTrue(assembler.accept(chunks.get(1)).isEmpty());
        assertEquals(List.of("t from worker a: 3/4 chunks"), assembler.pending());
        assertArrayEquals(proof, assembler.accept(chunks.get(2)).orElseThrow().proof());
    }

    @Test
    void twoWorkersAnsweringTheSameTaskDoNotMix() {
        byte[] p1 = random(5000, 3);
        byte[] p2 = random(5000, 4);
        List<PostResult> a = new ProofChunker(2000).split(header("t", "a"), p1);
        List<PostResult> b = new ProofChunker(2000).split(header("t", "b"), p2);
        ProofAssembler assembler = new ProofAssembler();
        assembler.accept(a.get(0));
        assembler.accept(b.get(0));
        assembler.accept(b.get(1));
        assembler.accept(a.get(1));
        assertArrayEquals(p2, assembler.accept(b.get(2)).orElseThrow().proof());
        assertArrayEquals(p1, assembler.accept(a.get(2)).orElseThrow().proof());
    }

    @Test
    void aCorruptedChunkIsAnErrorNamingTheTask() {
        byte[] proof = random(5000, 5);
        List<PostResult> chunks = new ProofChunker(2000).split(header("w-9-1-2-0", "a"), proof);
        byte[] bad = new byte[chunks.get(1).getProofChunk().remaining()];
        chunks.get(1).getProofChunk().duplicate().get(bad);
        bad[17] ^= 1;
        PostResult corrupted = PostResult.newBuilder(chunks.get(1)).setProofChunk(ByteBuffer.wrap(bad)).build();
        ProofAssembler assembler = new ProofAssembler();
        assembler.accept(chunks.get(0));
        assembler.accept(corrupted);
        ChunkIntegrityException e = assertThrows(ChunkIntegrityException.class, () -> assembler.accept(chunks.get(2)));
        assertEquals("w-9-1-2-0", e.taskId());
        assertTrue(e.getMessage().contains("w-9-1-2-0") && e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void conflictingDuplicateAndOutOfRangeChunksAreRefused() {
        List<PostResult> chunks = new ProofChunker(2000).split(header("t", "a"), random(5000, 6));
        ProofAssembler assembler = new ProofAssembler();
        assembler.accept(chunks.get(0));
        PostResult other = PostResult.newBuilder(chunks.get(0)).setProofChunk(ByteBuffer.wrap(random(2000, 9))).build();
        assertThrows(ChunkIntegrityException.class, () -> assembler.accept(other));
        PostResult outOfRange = PostResult.newBuilder(chunks.get(0)).setChunkIndex(3).build();
        assertThrows(ChunkIntegrityException.class, () -> assembler.accept(outOfRange));
    }

    @Test
    void anEmptyProofIsOneRecordWithoutHash() {
        List<PostResult> chunks = new ProofChunker().split(header("t", "a"), new byte[0]);
        assertEquals(1, chunks.size());
        assertNull(chunks.get(0).getProofSha256());
        assertEquals(0, new ProofAssembler().accept(chunks.get(0)).orElseThrow().proof().length);
    }
}
