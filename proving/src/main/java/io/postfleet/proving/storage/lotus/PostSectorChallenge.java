package io.postfleet.proving.storage.lotus;

import java.util.Arrays;

/**
 * Lotus's {@code storiface.PostSectorChallenge}: one sector and the leaves to open in it.
 *
 * @param sealProof    the sector's RegisteredSealProof ({@code SealProof})
 * @param sectorNumber its number ({@code SectorNumber})
 * @param commR        comm_r, 32 bytes, from the {@code SealedCID}
 * @param challenge    the leaf indices to open ({@code Challenge}), in order
 * @param update       whether the sector was upgraded (SnapDeals): its replica is {@code update/}, its cache
 *                     {@code update-cache/} ({@code Update})
 */
public record PostSectorChallenge(SealProofType sealProof, long sectorNumber, byte[] commR, long[] challenge,
                                  boolean update) {

    public PostSectorChallenge {
        commR = commR.clone();
        challenge = challenge.clone();
    }

    @Override
    public byte[] commR() {
        return commR.clone();
    }

    @Override
    public long[] challenge() {
        return challenge.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PostSectorChallenge p && p.sealProof.equals(sealProof) && p.sectorNumber == sectorNumber
                && Arrays.equals(p.commR, commR) && Arrays.equals(p.challenge, challenge) && p.update == update;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sectorNumber) * 31 + Arrays.hashCode(commR);
    }

    @Override
    public String toString() {
        return "PostSectorChallenge[sector " + sectorNumber + ", " + sealProof + ", " + CommCid.encode(commR) + ", "
                + challenge.length + " challenges" + (update ? ", update" : "") + "]";
    }
}
