package io.postfleet.proofs.post;

/** A sector could not be proven (the single-sector call's error; partition proving reports it as skipped). */
public final class SectorFaultException extends Exception {

    private final transient SkippedSector skipped;

    public SectorFaultException(SkippedSector skipped) {
        super("sector " + skipped.sectorId() + ": " + skipped.reason());
        this.skipped = skipped;
    }

    public SkippedSector skipped() {
        return skipped;
    }
}
