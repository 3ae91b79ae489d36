package io.postfleet.proofs.sector;

import io.postfleet.proofs.merkle.TreeShape;

import java.nio.file.Path;

/**
 * Where one sector's files are: the replica ({@code sealed/s-t0<miner>-<num>}, or {@code update/...} for an upgraded
 * sector) and its cache directory ({@code cache/...} or {@code update-cache/...}) with p_aux and the tree files.
 */
public record SectorFiles(long minerId, long sectorId, boolean updated, Path sealed, Path cacheDir) {

    /** The Lotus sector file name {@code s-t0<miner>-<num>}. */
    public static String sectorName(long minerId, long sectorId) {
        return "s-t0" + minerId + "-" + sectorId;
    }

    /** The files of a sector in the Lotus layout under one storage path. */
    public static SectorFiles inStoragePath(Path root, long minerId, long sectorId, boolean updated) {
        String name = sectorName(minerId, sectorId);
        return new SectorFiles(minerId, sectorId, updated,
                root.resolve(updated ? StoragePaths.UPDATE : StoragePaths.SEALED).resolve(name),
                root.resolve(updated ? StoragePaths.UPDATE_CACHE : StoragePaths.CACHE).resolve(name));
    }

    public Path pAux() {
        return cacheDir.resolve(PersistentAux.FILE_NAME);
    }

    public Path treeFile(TreeShape shape, int baseTree) {
        return cacheDir.resolve(shape.treeFileName(baseTree));
    }
}
