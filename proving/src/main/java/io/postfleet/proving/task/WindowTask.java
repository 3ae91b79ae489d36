package io.postfleet.proving.task;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.postfleet.proofs.post.ApiVersion;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.schemas.PostKind;
import io.postfleet.schemas.TaskSector;
import io.postfleet.schemas.WindowPostTask;

/**
 * One windowPoSt partition to prove.
 *
 * @param avro        the record as published
 * @param sectorSize  parsed from the record
 * @param apiVersion  parsed from the record
 */
public record WindowTask(WindowPostTask avro, SectorSize sectorSize, ApiVersion apiVersion) implements PostTask {

    public WindowTask {
        Objects.requireNonNull(avro, "avro");
        Objects.requireNonNull(sectorSize, "sectorSize");
        Objects.requireNonNull(apiVersion, "apiVersion");
    }

    /** Parses the record's sector size and API version once; IllegalArgumentException when either is unknown. */
    public static WindowTask of(WindowPostTask avro) {
        return new WindowTask(avro, SectorSize.parse(avro.getSectorSize()), ApiVersion.parse(avro.getApiVersion()));
    }

    @Override
    public String taskId() {
        return avro.getTaskId();
    }

    @Override
    public PostKind kind() {
        return PostKind.WINDOW;
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
        return avro.getCloseTime();
    }

    @Override
    public Instant publishedAt() {
        return avro.getPublishedAt();
    }

    @Override
    public boolean dryRun() {
        return avro.getDryRun();
    }

    public int deadline() {
        return avro.getDeadline();
    }

    public int partitionIndex() {
        return avro.getPartitionIndex();
    }

    /** The partition's sectors as the miner's records have them (ids and comm_r). */
    public List<TaskSector> sectors() {
        return avro.getSectors();
    }
}
