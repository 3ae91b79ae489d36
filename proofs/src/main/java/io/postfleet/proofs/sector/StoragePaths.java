package io.postfleet.proofs.sector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Lotus storage paths: each root may hold {@code sealed/} and {@code cache/}, and for upgraded (SnapDeals) sectors
 * {@code update/} and {@code update-cache/}, with files named {@code s-t0<miner>-<num>}. A sector's replica and cache
 * may lie under different roots, as Lotus allows.
 */
public record StoragePaths(List<Path> roots) {

    public static final String SEALED = "sealed";
    public static final String CACHE = "cache";
    public static final String UPDATE = "update";
    public static final String UPDATE_CACHE = "update-cache";

    public StoragePaths {
        roots = List.copyOf(roots);
    }

    /**
     * Finds a sector. An upgraded replica ({@code update/}) wins over the original one, as PoSt runs over the update
     * when the sector has one. When the replica is found but no cache directory is, the cache path under the replica's
     * root is returned, so the prover reports the missing directory by name. Empty when no root holds the replica.
     */
    public Optional<SectorFiles> locate(long minerId, long sectorId) {
        Optional<SectorFiles> upgraded = locate(minerId, sectorId, true);
        return upgraded.isPresent() ? upgraded : locate(minerId, sectorId, false);
    }

    /**
     * Finds one form of a sector: the upgraded one ({@code update/}, {@code update-cache/}) or the original one
     * ({@code sealed/}, {@code cache/}), as a caller that knows which one it needs asks (Lotus's vanilla proof
     * requests say). Like {@link #locate(long, long)}, a missing cache directory is returned under the replica's root.
     */
    public Optional<SectorFiles> locate(long minerId, long sectorId, boolean updated) {
        String name = SectorFiles.sectorName(minerId, sectorId);
        String replicaDir = updated ? UPDATE : SEALED;
        String cacheDir = updated ? UPDATE_CACHE : CACHE;
        Path replica = find(replicaDir, name, false);
        if (replica == null) {
            return Optional.empty();
        }
        Path cache = find(cacheDir, name, true);
        if (cache == null) {
            cache = replica.getParent().getParent().resolve(cacheDir).resolve(name);
        }
        return Optional.of(new SectorFiles(minerId, sectorId, updated, replica, cache));
    }

    private Path find(String dir, String name, boolean directory) {
        for (Path root : roots) {
            Path p = root.resolve(dir).resolve(name);
            if (directory ? Files.isDirectory(p) : Files.exists(p)) {
                return p;
            }
        }
        return null;
    }
}
