package io.postfleet.proving.task;

import java.time.Instant;
import java.util.Objects;

import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.schemas.PostKind;
import io.postfleet.schemas.TaskSector;
import io.postfleet.schemas.WinningPostTask;

/**
 * One winningPoSt: the challenged sector of a won election, to prove before the block is due.
 *
 * @param avro       the record as published
 * @param sectorSize parsed from the record
 */
public record WinningTask(WinningPostTask avro, SectorSize sectorSize) implements PostTask {

    public WinningTask {
        Objects.requireNonNull(avro, "avro");
        Objects.requireNonNull(sectorSize, "sectorSize");
    }

    /** Parses the record's sector size once; IllegalArgumentException when it is unknown. */
    public static WinningTask of(WinningPostTask avro) {
        return new WinningTask(avro, SectorSize.parse(avro.getSectorSize()));
    }

    @Override
    public String taskId() {
        return avro.getTaskId();
    }

    @Override
    public PostKind kind() {
        return PostKind.WINNING;
    }

    @Override
    public long minerId() {
        return avro.getMinerId();
    }

    @Override
    public byte[] randomness() {
        return avro.getRandomness().bytes().clone();
    }

    @Override
    public Instant dueAt() {
        return avro.getMustFinishBy();
    }

    @Override
    public Instant publishedAt() {
        return avro.getPublishedAt();
    }

    @Override
    public boolean dryRun() {
        return avro.getDryRun();
    }

    public long epoch() {
        return avro.getEpoch();
    }

    public byte[] proverId() {
        return avro.getProverId().bytes().clone();
    }

    /** The challenged sector. */
    public TaskSector sector() {
        return avro.getSector();
    }
}
