package io.postfleet.proofs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.postfleet.proofs.sector.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every post-tool command run in-process on real files, checking exit codes and printed values. */
class PostToolTest {

    static final String RANDOMNESS = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    static final String PROVER_1000 = "e807" + "00".repeat(30);

    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut;
    PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    int run(String... args) {
        out.reset();
        err.reset();
        return PostTool.run(args);
    }

    List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void challengesWindowPrintsTheTenLeavesOfTheSpecSample() {
        assertEquals(0, run("challenges", "window", "--sector-size", "2KiB", "--randomness", RANDOMNESS, "--sector-id", "42"));
        assertEquals(List.of("10", "0", "6", "16", "52", "40", "51", "7", "7", "47"), lines());
        assertEquals(0, run("challenges", "window", "--sector-size", "32GiB", "--randomness", RANDOMNESS, "--sector-id", "42",
                "--api", "v1_0", "--sector-index", "3"));
        assertEquals(List.of("475895680", "161738210", "493756753"), lines().subList(0, 3));
    }

    @Test
    void challengesWinningPrintsTheSectorIndexThen66Leaves() {
        assertEquals(0, run("challenges", "winning", "--sector-size", "32GiB", "--randomness", RANDOMNESS,
                "--prover-id", PROVER_1000, "--sector-id", "42", "--eligible", "1000"));
        List<String> l = lines();
        assertEquals("sector-index 6", l.get(0));
        assertEquals(67, l.size());
        assertEquals(List.of("509450890", "1068162304", "182600454", "459069328", "831756340"), l.subList(1, 6));
    }

    @Test
    void badInputIsExit2WithTheReason() {
        String nonCanonical = RANDOMNESS.substring(0, 62) + "ff";
        assertEquals(2, run("challenges", "window", "--sector-size", "2KiB", "--randomness", nonCanonical, "--sector-id", "1"));
        assertTrue(stderr().contains("not a canonical"), stderr());
        assertEquals(2, run("challenges", "window", "--sector-size", "2KiB", "--randomness", "0x" + RANDOMNESS, "--sector-id", "1"));
        assertTrue(stderr().contains("64 hex digits"), stderr());
        assertEquals(2, run("challenges", "window", "--sector-size", "3KiB", "--randomness", RANDOMNESS, "--sector-id", "1"));
        assertTrue(stderr().contains("2KiB 4KiB 16KiB 32KiB 8MiB 512MiB 32GiB 64GiB"), stderr());
        assertEquals(2, run("challenges", "window", "--sector-size", "2KiB", "--randomness", RANDOMNESS, "--sector-id", "1", "--api", "v9"));
        assertEquals(2, run("prove", "window", "--manifest", dir.resolve("none.json").toString(), "--randomness", RANDOMNESS,
                "--out", dir.resolve("p").toString()));
    }

    @Test
    void aManifestThatIsNotJsonIsOneLineSayingWhereAndWhatWithExit2() throws Exception {
        Path storage = dir.resolve("storage");
        Files.createDirectories(storage);
        Files.writeString(storage.resolve("manifest.json"), "{\n  \"miner_id\": 1000,\n  \"sector_size\": \"2KiB\",}\n");
        String where = storage.resolve("manifest.json") + " line 3, column 25: unexpected character '}': was expecting"
                + " double-quote to start field name";
        assertEquals(2, run("prove", "window", "--manifest", storage.toString(), "--randomness", RANDOMNESS,
                "--out", dir.resolve("p").toString()));
        assertEquals("post-tool prove window: " + where + System.lineSeparator(), stderr());
        assertEquals(2, run("verify", "winning", "--manifest", storage.resolve("manifest.json").toString(),
                "--randomness", RANDOMNESS, "--prover-id", PROVER_1000, "--proof", dir.resolve("p").toString()));
        assertEquals("post-tool verify winning: " + where + System.lineSeparator(), stderr());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void pledgeTreeVanillaProveAndVerify() throws Exception {
        Path sectors = dir.resolve("sectors");
        assertEquals(0, run("pledge", "--sector-size", "2KiB", "--count", "3", "--miner", "1000", "--out", sectors.toString(),
                "--seed", "9"));
        assertTrue(lines().contains("sector 3/3 written"), out.toString());
        JsonNode json = new ObjectMapper().readTree(sectors.resolve("manifest.json").toFile());
        assertEquals(1000, json.get("miner_id").asInt());
        JsonNode s0 = json.get("sectors").get(0);
        assertEquals("sealed/s-t01000-0", s0.get("sealed").asText());
        assertEquals("cache/s-t01000-0", s0.get("cache_dir").asText());
        assertEquals("2KiB", s0.get("sector_size").asText());
        assertEquals(64, s0.get("comm_r").asText().length());
        assertEquals(2048, Files.size(sectors.resolve("sealed/s-t01000-0")));
        assertEquals(32, Files.size(sectors.resolve("cache/s-t01000-0/sc-02-data-tree-r-last.dat")));
        assertEquals(64, Files.size(sectors.resolve("cache/s-t01000-0/p_aux")));
        Manifest m = Manifest.read(sectors.resolve("manifest.json"));
        Manifest.Entry e = m.entry(0);

        // tree-r-last over the pledged replica reproduces the manifest's commitments
        Path cache = dir.resolve("cache2");
        assertEquals(0, run("tree-r-last", "--replica", sectors.resolve("sealed/s-t01000-0").toString(), "--sector-size", "2KiB",
                "--cache-dir", cache.toString(), "--comm-c", s0.get("comm_c").asText()));
        assertEquals(List.of("comm_r_last " + s0.get("comm_r_last").asText(), "comm_r " + s0.get("comm_r").asText()), lines());
        assertEquals(-1, Files.mismatch(cache.resolve("p_aux"), sectors.resolve("cache/s-t01000-0/p_aux")));

        // vanilla-proof: 5,680 bytes for a 2KiB window proof, 66 challenges for winning
        Path vp = dir.resolve("vp.bin");
        String[] common = {"--sector-size", "2KiB", "--sector-id", "0", "--sealed", sectors.resolve("sealed/s-t01000-0").toString(),
                "--cache-dir", sectors.resolve("cache/s-t01000-0").toString(), "--comm-r", HexFormat.of().formatHex(e.commR()),
                "--randomness", RANDOMNESS, "--out", vp.toString()};
        assertEquals(0, run(concat(new String[] {"vanilla-proof", "--kind", "window"}, common)));
        assertEquals(5_680, Files.size(vp));
        assertEquals(0, run(concat(new String[] {"vanilla-proof", "--kind", "winning"}, common)));
        assertEquals(120 + 66 * 556, Files.size(vp));

        // prove and verify both partitions (the second is padded)
        String manifest = sectors.resolve("manifest.json").toString();
        for (String k : new String[] {"0", "1"}) {
            Path proof = dir.resolve("window-" + k);
            assertEquals(0, run("prove", "window", "--manifest", manifest, "--randomness", RANDOMNESS, "--partition", k,
                    "--out", proof.toString()));
            assertEquals(0, run("verify", "window", "--manifest", manifest, "--randomness", RANDOMNESS, "--partition", k,
                    "--proof", proof.toString()), stderr());
        }
        String other = "ff" + RANDOMNESS.substring(2);
        assertEquals(1, run("verify", "window", "--manifest", manifest, "--randomness", other, "--proof",
                dir.resolve("window-0").toString()));
        assertTrue(stderr().startsWith("invalid: "), stderr());
        byte[] bytes = Files.readAllBytes(dir.resolve("window-0"));
        bytes[200] ^= 1;
        Files.write(dir.resolve("bad"), bytes);
        assertEquals(1, run("verify", "window", "--manifest", manifest, "--randomness", RANDOMNESS, "--proof", dir.resolve("bad").toString()));

        // winning
        Path win = dir.resolve("winning");
        assertEquals(0, run("prove", "winning", "--manifest", manifest, "--randomness", RANDOMNESS, "--prover-id", PROVER_1000,
                "--out", win.toString()));
        assertTrue(lines().get(0).startsWith("sector-index "), out.toString());
        assertEquals(0, run("verify", "winning", "--manifest", manifest, "--randomness", RANDOMNESS, "--prover-id", PROVER_1000,
                "--proof", win.toString()), stderr());
        assertEquals(1, run("verify", "winning", "--manifest", manifest, "--randomness", other, "--prover-id", PROVER_1000,
                "--proof", win.toString()));

        // a missing replica: skipped with its reason, the partition still verifies; vanilla-proof fails with exit 2
        Files.delete(sectors.resolve("sealed/s-t01000-1"));
        Path skipped = dir.resolve("skipped");
        assertEquals(0, run("prove", "window", "--manifest", manifest, "--randomness", RANDOMNESS, "--out", skipped.toString(),
                "--parallel-reads", "2", "--sector-timeout", "30s", "--partition-timeout", "1m", "--threads", "1", "--hash", "java"));
        assertTrue(out.toString().contains("skipped 1: replica "), out.toString());
        assertEquals(0, run("verify", "window", "--manifest", manifest, "--randomness", RANDOMNESS, "--proof", skipped.toString()));
        common[3] = "1";
        common[5] = sectors.resolve("sealed/s-t01000-1").toString();
        common[7] = sectors.resolve("cache/s-t01000-1").toString();
        assertEquals(2, run(concat(new String[] {"vanilla-proof", "--kind", "window"}, common)));
        assertTrue(stderr().contains("sector 1"), stderr());
    }

    @Test
    void upgradedSectorsAreFoundInStoragePaths() throws Exception {
        Path sectors = dir.resolve("snap");
        assertEquals(0, run("pledge", "--sector-size", "4KiB", "--count", "2", "--miner", "1000", "--out", sectors.toString(),
                "--updated", "--first-id", "10"));
        assertTrue(Files.isRegularFile(sectors.resolve("update/s-t01000-11")));
        assertTrue(Files.isRegularFile(sectors.resolve("update-cache/s-t01000-11/sc-02-data-tree-r-last-1.dat")));
        Path proof = dir.resolve("snap-proof");
        String manifest = sectors.resolve("manifest.json").toString();
        assertEquals(0, run("prove", "window", "--manifest", manifest, "--randomness", RANDOMNESS, "--out", proof.toString(),
                "--storage-path", dir.resolve("elsewhere").toString(), "--storage-path", sectors.toString()));
        assertTrue(out.toString().contains("proven 2 sector(s), skipped 0"), out.toString());
        assertEquals(0, run("verify", "window", "--manifest", manifest, "--randomness", RANDOMNESS, "--proof", proof.toString()));
        assertEquals(0, run("prove", "window", "--manifest", manifest, "--randomness", RANDOMNESS, "--out", proof.toString(),
                "--storage-path", dir.resolve("elsewhere").toString()));
        assertTrue(out.toString().contains("skipped 10: not found in any storage path"), out.toString());
    }

    @Test
    void benchPrintsItsFigures() {
        assertEquals(0, run("bench", "--rounds", "1", "--batch", "64", "--no-8mib", "--work-dir", dir.resolve("bench").toString()));
        String o = out.toString(StandardCharsets.UTF_8);
        assertTrue(o.contains("poseidon arity-8: "), o);
        assertTrue(o.contains("tree_r_last 2KiB: "), o);
        assertTrue(o.contains("window partition 2KiB (2 sectors x 10 challenges): "), o);
    }

    @Test
    void benchPartitionBuildsProvesAndVerifiesAFullSizePartitionThenReusesIt() {
        String work = dir.resolve("partition").toString();
        assertEquals(0, run("bench", "--partition", "32GiB", "--sectors", "2", "--rounds", "1", "--hash", "java",
                "--work-dir", work), stderr());
        List<String> l = lines();
        assertEquals("backend: java", l.get(0));
        assertTrue(l.get(1).startsWith("cpu: ") && l.get(1).endsWith(" cores"), l.get(1));
        assertTrue(l.get(2).startsWith("partition: 32GiB, 2 sectors x 10 challenges; miner 1000, randomness 0001"), l.get(2));
        assertTrue(l.get(3).startsWith("build: ") && l.get(3).contains(" bytes written into sparse files of "
                + String.format("%,d", 2 * (32L << 30)) + " bytes of replica"), l.get(3));
        assertTrue(l.get(4).startsWith("read: ") && l.get(4).endsWith(" s"), l.get(4));
        assertTrue(l.get(5).startsWith("hash: ") && l.get(5).contains(" hashes/s)"), l.get(5));
        assertTrue(l.get(6).startsWith("prove: "), l.get(6));
        assertTrue(l.get(7).startsWith("verify: ") && l.get(7).endsWith(", accepted"), l.get(7));
        assertTrue(l.get(8).startsWith("proof: ") && l.get(8).endsWith(" bytes (proof bundle of 2349 vanilla proofs)"), l.get(8));
        assertEquals("challenges: 20", l.get(9));
        assertTrue(l.get(10).startsWith("distinct segments hashed: 20 (of 20 distinct challenged segments; 0 "), l.get(10));
        assertEquals(11, l.size(), String.join("\n", l));

        assertEquals(0, run("bench", "--partition", "32GiB", "--sectors", "2", "--hash", "java", "--work-dir", work), stderr());
        assertEquals("build: reused (" + dir.resolve("partition").toAbsolutePath() + ")", lines().get(3));
        assertEquals("challenges: 20", lines().get(9));
    }

    @Test
    void benchPartitionRefusesSizesWithoutAFullSizePartition() {
        assertEquals(2, run("bench", "--partition", "8MiB", "--hash", "java"));
        assertTrue(stderr().contains("--partition takes 32GiB or 64GiB"), stderr());
        assertEquals(2, run("bench", "--partition", "32GiB", "--sectors", "2350", "--hash", "java"));
        assertTrue(stderr().contains("--sectors must be 1..2349"), stderr());
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
