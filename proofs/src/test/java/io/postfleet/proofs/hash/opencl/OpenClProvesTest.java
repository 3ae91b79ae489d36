package io.postfleet.proofs.hash.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postfleet.proofs.hash.BackendSpec;
import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.hash.HashBackends;
import io.postfleet.proofs.post.ApiVersion;
import io.postfleet.proofs.post.PartitionProof;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.PostVerifier;
import io.postfleet.proofs.post.ProverSettings;
import io.postfleet.proofs.post.ProvingSector;
import io.postfleet.proofs.post.Verdict;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.TestSectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on the device: tree_r_last built by OpenCL equals the CPU's, and a window partition proven with the
 * OpenCL backend (cached-row rebuilds on the device) verifies with the CPU path.
 */
class OpenClProvesTest {

    @TempDir
    Path deviceDir;

    @TempDir
    Path cpuDir;

    @Test
    void deviceBuiltTreesAndProofsAgreeWithTheCpuPath() throws Exception {
        OpenClDevice test = TestDevice.require();
        SectorSize size = SectorSize.KIB_32;
        try (HashBackend opened = HashBackends.open(new BackendSpec.OpenCl(OptionalInt.of(test.info().index())), true);
             HashBackend cpu = new CpuHashBackend()) {
            OpenClHashBackend device = assertInstanceOf(OpenClHashBackend.class, opened);
            Manifest onDevice = new TestSectors(device).pledge(deviceDir, size, 1000, 2, 0, 42, false, n -> { });
            long afterTrees = device.kernelLaunches();
            assertTrue(afterTrees > 0, "trees were built on the device");
            Manifest onCpu = new TestSectors(cpu).pledge(cpuDir, size, 1000, 2, 0, 42, false, n -> { });
            for (long id = 0; id < 2; id++) {
                assertArrayEquals(onCpu.entry(id).commRLast(), onDevice.entry(id).commRLast(), "comm_r_last of sector " + id);
                assertArrayEquals(onCpu.entry(id).commR(), onDevice.entry(id).commR(), "comm_r of sector " + id);
            }

            byte[] randomness = TestSectors.randomNode(new SplittableRandom(7));
            List<ProvingSector> sectors = new ArrayList<>();
            SortedMap<Long, byte[]> records = new TreeMap<>();
            for (long id = 0; id < 2; id++) {
                Manifest.Entry e = onDevice.entry(id);
                sectors.add(new ProvingSector(id, e.commR(), onDevice.files(e)));
                records.put(id, e.commR());
            }
            PartitionProof proof = new PartitionProver(device, ProverSettings.defaults())
                    .proveWindow(size, ApiVersion.V1_2, 1000, randomness, sectors);
            assertTrue(device.kernelLaunches() > afterTrees, "the prover hashed on the device");
            assertEquals(List.of(), proof.skipped());
            assertEquals(new Verdict.Valid(),
                    new PostVerifier(cpu).verifyWindow(size, ApiVersion.V1_2, 0, randomness, records, proof));
            assertNull(device.fallbackReason());
        }
    }
}
