package io.postfleet.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.postfleet.cli.ConfigException;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.schemas.GpuInfo;
import io.postfleet.schemas.PostKind;
import io.postfleet.worker.host.HostCheck.Finding;
import io.postfleet.worker.status.GpuCores;
import io.postfleet.worker.status.ResourceProbe.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the start-up check says about a host, from the facts it found: one line each, shortfalls as warnings. */
class HostCheckTest {

    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    @Test
    void aLimitThatStaysBelowTheMinimumIsRefusedWithTheUlimitLineToRun() {
        OpenFileLimit.Limits low = new OpenFileLimit.Limits(512, 512);
        ConfigException e = assertThrows(ConfigException.class, () -> HostCheck.openFiles(
                "--min-open-files (default)", "--min-open-files", 4096, new OpenFileLimit.Raised(low, low), ""));
        assertEquals("--min-open-files (default) 4096: this process may open only 512 files (soft 512, hard 512, "
                + "after raising the soft limit to the hard one); run 'ulimit -n 1048576' where the worker is started "
                + "(raising the hard limit needs root: LimitNOFILE=1048576 in its systemd unit, or a nofile line in "
                + "/etc/security/limits.conf), or lower --min-open-files", e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aRaisedLimitIsPrintedBeforeAndAfter() {
        OpenFileLimit.Raised r = new OpenFileLimit.Raised(new OpenFileLimit.Limits(1024, 20000),
                new OpenFileLimit.Limits(20000, 20000));
        assertEquals("open files: soft limit 1024 -> 20000, hard limit 20000; at least 4096 needed "
                + "(--min-open-files)", HostCheck.openFiles("--min-open-files", "--min-open-files", 4096, r, ""));
        OpenFileLimit.Limits unlimited = new OpenFileLimit.Limits(OpenFileLimit.UNLIMITED, OpenFileLimit.UNLIMITED);
        assertEquals("open files: soft limit unlimited -> unlimited, hard limit unlimited; at least 0 needed "
                + "(--min-open-files)", HostCheck.openFiles("--min-open-files", "--min-open-files", 0,
                new OpenFileLimit.Raised(unlimited, unlimited), ""));
    }

    @Test
    void testSectorsOnThisKindOfHostGiveNoWarning() {
        List<Finding> f = HostCheck.requirements(PostKind.WINDOW, "--storage",
                new SealedSectors(4, Optional.of(SectorSize.KIB_2), 0), 24 * GIB, List.of(pocl()));
        assertEquals(List.of(
                Finding.info("sectors: 4 under --storage, the largest 2KiB: windowPoSt on 2KiB sectors needs 1 GiB of "
                        + "RAM and no GPU"),
                Finding.info("memory: 24 GiB of RAM"),
                Finding.info("gpu: pthread-skylake, 11.8 GiB, cores unknown, opencl (not a GPU)")), f);
    }

    @Test
    void noSectorFoundAssumes32GibAndSaysWhatIsShort() {
        List<Finding> f = HostCheck.requirements(PostKind.WINDOW, "--storage",
                new SealedSectors(0, Optional.empty(), 0), 24 * GIB, List.of(pocl()));
        assertEquals(Finding.info("sectors: none under --storage (read from other nodes?); assuming 32GiB sectors: "
                + "windowPoSt on 32GiB sectors needs 128 GiB of RAM and a GPU with 8.5 GiB"), f.get(0));
        assertEquals(Finding.warning("memory: 24 GiB of RAM, less than the 128 GiB windowPoSt on 32GiB sectors needs "
                + "(Lotus's minimum, scaled to the sector size)"), f.get(1));
        assertEquals(Finding.warning("gpu: no GPU found, and windowPoSt on 32GiB sectors needs a GPU with 8.5 GiB "
                + "(Lotus's minimum); proving runs on the CPU"), f.get(f.size() - 1));
        assertEquals(2, f.stream().filter(Finding::warning).count(), f.toString());
    }

    @Test
    void theGpuTheBackendUsesIsTheOneMeasuredAndEnoughOfEverythingWarnsOfNothing() {
        Device small = gpu("NVIDIA GeForce RTX 2060", 6 * GIB, 1920, true);
        Device big = gpu("NVIDIA H100 80GB HBM3", 80 * GIB, 16896, false);
        List<Finding> f = HostCheck.requirements(PostKind.WINDOW, "--storage",
                new SealedSectors(10, Optional.of(SectorSize.GIB_32), 0), 256 * GIB, List.of(small, big));
        assertEquals(List.of(Finding.warning("gpu: NVIDIA GeForce RTX 2060 has 6 GiB of memory, less than the 8.5 GiB "
                + "windowPoSt on 32GiB sectors needs (Lotus's minimum, scaled to the sector size)")),
                f.stream().filter(Finding::warning).toList());
        assertTrue(f.contains(Finding.info("gpu: NVIDIA GeForce RTX 2060, 6 GiB, 1920 cores, nvml, used by the hash "
                + "backend")), f.toString());
        List<Finding> winning = HostCheck.requirements(PostKind.WINNING, "--storage",
                new SealedSectors(10, Optional.of(SectorSize.GIB_32), 0), 256 * GIB, List.of(small, big));
        assertEquals(List.of(), winning.stream().filter(Finding::warning).toList(), "6 GiB is winning's minimum");
    }

    @Test
    void aCustomGpuEntrySaysWhichDevicesItGivesCoresTo() {
        GpuCores cores = GpuCores.parse("Radeon Pro W7900:6144, GeForce RTX 3080:1, GeForce RTX 3080 Ti:10240");
        List<Device> devices = List.of(gpu("Radeon Pro W7900", 48 * GIB, 6144, false),
                gpu("NVIDIA GeForce RTX 3080", 10 * GIB, 8704, false));
        assertEquals(List.of(
                Finding.info("BELLMAN_CUSTOM_GPU Radeon Pro W7900:6144: gives Radeon Pro W7900 6144 cores"),
                Finding.info("BELLMAN_CUSTOM_GPU GeForce RTX 3080:1: NVIDIA GeForce RTX 3080 is a known model: the "
                        + "table's 8704 cores are used"),
                Finding.info("BELLMAN_CUSTOM_GPU GeForce RTX 3080 Ti:10240: matches no device here")),
                HostCheck.customGpus(cores, devices));
        assertEquals(List.of(), HostCheck.customGpus(GpuCores.table(), devices));
    }

    @Test
    void theParameterCacheIsReportedWhetherOrNotItExists() throws Exception {
        Path missing = dir.resolve("none");
        assertEquals(Finding.info("proof parameters: FIL_PROOFS_PARAMETER_CACHE (default) " + missing + " does not "
                + "exist; vanilla proving needs no parameters, a SNARK engine will (lotus fetch-params SIZE)"),
                HostCheck.parameterCache("FIL_PROOFS_PARAMETER_CACHE (default)", missing));
        Files.createDirectories(dir.resolve("params"));
        Files.writeString(dir.resolve("params/v28-stacked-proof-of-replication.params"), "x");
        Files.writeString(dir.resolve("params/v28-stacked-proof-of-replication.vk"), "x");
        assertTrue(HostCheck.parameterCache("FIL_PROOFS_PARAMETER_CACHE", dir.resolve("params")).text()
                .contains(" exists, 1 .params file; vanilla proving needs no parameters"));
    }

    private static Device pocl() {
        return new Device(GpuInfo.newBuilder().setName("pthread-skylake").setMemTotalBytes(Math.round(11.8 * GIB))
                .setMemUsedBytes(0).setUtilization(-1).setSource("opencl").build(), false);
    }

    private static Device gpu(String name, long memory, int cores, boolean used) {
        return new Device(GpuInfo.newBuilder().setName(name).setMemTotalBytes(memory).setMemUsedBytes(0)
                .setUtilization(0).setSource("nvml").setCores(cores).setUsed(used).build(), true);
    }
}
