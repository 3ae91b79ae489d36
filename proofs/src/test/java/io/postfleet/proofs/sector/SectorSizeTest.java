package io.postfleet.proofs.sector;

import io.postfleet.proofs.merkle.TreeShape;
import io.postfleet.proofs.post.ApiVersion;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The per-size table of docs/post-spec.md section 2.3 and the cache-file sizes of section 4.3. */
class SectorSizeTest {

    @Test
    void parsesTheWrittenLabels() {
        for (String l : new String[] {"2KiB", "4KiB", "16KiB", "32KiB", "8MiB", "512MiB", "32GiB", "64GiB"}) {
            assertEquals(l, SectorSize.parse(l).label());
        }
        assertEquals(SectorSize.GIB_32, SectorSize.parse("32gib"));
        assertThrows(IllegalArgumentException.class, () -> SectorSize.parse("1GiB"));
    }

    @Test
    void productionShapesMatchTheSpecTable() {
        check(SectorSize.KIB_2, "8-0-0", 1, 64, 1, 1, 2, 2);
        check(SectorSize.MIB_8, "8-0-0", 1, 1 << 18, 2, 585, 6, 2);
        check(SectorSize.MIB_512, "8-0-0", 1, 1 << 24, 2, 37_449, 8, 2);
        check(SectorSize.GIB_32, "8-8-0", 8, 1L << 27, 2, 299_593, 10, 2349);
        check(SectorSize.GIB_64, "8-8-2", 16, 1L << 27, 2, 299_593, 11, 2300);
    }

    @Test
    void testShapes() {
        check(SectorSize.KIB_4, "8-2-0", 2, 64, 1, 1, 3, 2);
        check(SectorSize.KIB_16, "8-8-0", 8, 64, 1, 1, 3, 2);
        check(SectorSize.KIB_32, "8-8-2", 16, 64, 1, 1, 4, 2);
    }

    @Test
    void segmentWidthIs512ForProductionSizesAnd64For2KiB() {
        assertEquals(64, SectorSize.KIB_2.shape().segmentWidth());
        assertEquals(512, SectorSize.MIB_8.shape().segmentWidth());
        assertEquals(512, SectorSize.GIB_32.shape().segmentWidth());
        assertEquals(9_586_976L, SectorSize.GIB_32.shape().cacheFileBytes());
        assertEquals(18_720L, SectorSize.MIB_8.shape().cacheFileBytes());
    }

    @Test
    void treeFileNamesCarryTheBaseTreeIndexOnlyForCompoundTrees() {
        assertEquals("sc-02-data-tree-r-last.dat", SectorSize.MIB_8.shape().treeFileName(0));
        assertEquals("sc-02-data-tree-r-last-7.dat", SectorSize.GIB_32.shape().treeFileName(7));
    }

    @Test
    void registeredProofTypes() {
        assertEquals(0, SectorSize.KIB_2.registeredWinningProof());
        assertEquals(3, SectorSize.GIB_32.registeredWinningProof());
        assertEquals(13, SectorSize.GIB_32.registeredWindowProof());
        assertEquals(8, ApiVersion.V1_0.registeredWindowProof(SectorSize.GIB_32));
        assertEquals(SectorSize.GIB_64, SectorSize.ofRegisteredProof(14));
        assertThrows(IllegalArgumentException.class, SectorSize.KIB_4::registeredWindowProof);
    }

    @Test
    void rowsToDiscardFollowsUpstreamDefaults() {
        assertEquals(0, TreeShape.rowsToDiscard(8, 8));
        assertEquals(1, TreeShape.rowsToDiscard(64, 8));
        assertEquals(2, TreeShape.rowsToDiscard(512, 8));
        assertEquals(2, TreeShape.rowsToDiscard(1 << 27, 8));
        assertEquals(7, TreeShape.rowsToDiscard(1 << 20, 2));
    }

    private static void check(SectorSize s, String shape, int baseTrees, long baseLeaves, int rtd, long cacheElems,
                              int pathLen, int partition) {
        TreeShape t = s.shape();
        assertEquals(shape, t.label(), s + " shape");
        assertEquals(baseTrees, t.baseTreeCount(), s + " base trees");
        assertEquals(baseLeaves, t.baseLeaves(), s + " base leaves");
        assertEquals(rtd, t.rowsToDiscard(), s + " rows_to_discard");
        assertEquals(cacheElems, t.cacheElements(), s + " cache elements");
        assertEquals(pathLen, t.pathLength(), s + " path length");
        assertEquals(partition, s.windowPartitionSectors(), s + " sectors per partition");
    }
}
