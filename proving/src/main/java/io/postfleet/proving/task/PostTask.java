package io.postfleet.proving.task;

import java.time.Instant;

import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.schemas.PostKind;
import io.postfleet.schemas.WindowPostTask;
import io.postfleet.schemas.WinningPostTask;
import org.apache.avro.specific.SpecificRecord;

/**
 * A task as both sides handle it: built once from its Avro record, with the sector size (and for window tasks the
 * API version) parsed there, so nothing downstream re-reads strings or asks what kind of record it holds.
 */
public sealed interface PostTask permits WindowTask, WinningTask {

    /** The record as published, for the wire. */
    SpecificRecord avro();

    String taskId();

    PostKind kind();

    long minerId();

    SectorSize sectorSize();

    /** The randomness the challenges derive from (already masked). */
    byte[] randomness();

    /** When a proof stops being worth anything: the deadline's close, or the block's must-finish-by. */
    Instant dueAt();

    Instant publishedAt();

    boolean dryRun();

    /** Whether the task is past its due time at {@code now}. */
    default boolean expiredAt(Instant now) {
        return !now.isBefore(dueAt());
    }

    /**
     * The typed task of a decoded record.
     *
     * @throws IllegalArgumentException when the record is not a PoSt task, or names a sector size or API version
     *                                  this build does not know
     */
    static PostTask of(Object record) {
        if (record instanceof WindowPostTask w) {
            return WindowTask.of(w);
        }
        if (record instanceof WinningPostTask w) {
            return WinningTask.of(w);
        }
        throw new IllegalArgumentException("record is a " + (record == null ? "null" : record.getClass().getName())
                + ", not a PoSt task");
    }
}
