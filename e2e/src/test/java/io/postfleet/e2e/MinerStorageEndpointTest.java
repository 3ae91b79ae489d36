package io.postfleet.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import io.postfleet.miner.MinerApp;
import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.post.ApiVersion;
import io.postfleet.proofs.post.ChallengeDeriver;
import io.postfleet.proofs.post.FallbackPoStSectorProof;
import io.postfleet.proofs.post.PartitionProof;
import io.postfleet.proofs.post.PostVerifier;
import io.postfleet.proofs.post.VanillaProofCodec;
import io.postfleet.proofs.post.Verdict;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.TestSectors;
import io.postfleet.proving.storage.auth.ApiPermission;
import io.postfleet.proving.storage.auth.ApiToken;
import io.postfleet.proving.storage.auth.SecretSource;
import io.postfleet.proving.storage.auth.TokenSecret;
import io.postfleet.proving.storage.lotus.PoStProofType;
import io.postfleet.proving.storage.lotus.PostSectorChallenge;
import io.postfleet.proving.storage.lotus.SealProofType;
import io.postfleet.proving.storage.lotus.SingleVanillaParams;
import io.postfleet.proving.storage.serve.ServeSettings;
import org.junit.jupiter.api.Test;

/**
 * A miner given a storage address ({@code --storage-listen}) serves its storage paths over Lotus's /remote protocol
 * next to its PoSt loop: a worker-side HTTP client gets a sector's vanilla proof that verifies, and the endpoint's
 * meters are on the miner's /metrics.
 */
class MinerStorageEndpointTest {

    @Test
    void theMinerServesItsSectorsToWorkersThatDoNotSeeThem() throws Exception {
        try (MinerFleet fleet = new MinerFleet("miner-storage", 2)) {
            Path secretFile = Files.createTempDirectory("miner-secret-").resolve("token-secret");
            MinerFleet.Settings s = fleet.settings();
            s.storageServe = new ServeSettings(new InetSocketAddress("127.0.0.1", 0), 4, Duration.ofSeconds(20),
                    SecretSource.file(secretFile), "post-miner");
            MinerApp app = fleet.miner(s);
            String url = app.storageUrl().orElseThrow();
            assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/remote"), url);

            String token = ApiToken.upTo(ApiPermission.ADMIN).sign(TokenSecret.read(secretFile, n -> { }));
            byte[] randomness = TestSectors.randomNode(new SplittableRandom(5));
            long id = 1;
            byte[] commR = fleet.manifest.entry(id).commR();
            long[] challenges = ChallengeDeriver.window(SectorSize.KIB_2, ApiVersion.V1_2, randomness, id, 0);
            SingleVanillaParams p = new SingleVanillaParams(MinerFleet.MINER, new PostSectorChallenge(
                    SealProofType.of(5), id, commR, challenges, false), PoStProofType.of(10));
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url + "/vanilla/single"))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(p.toJson()))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode(), new String(r.body()));
            FallbackPoStSectorProof proof = VanillaProofCodec.decode(r.body());
            try (CpuHashBackend backend = new CpuHashBackend()) {
                Verdict v = new PostVerifier(backend).verifyWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, randomness,
                        new TreeMap<>(Map.of(id, commR)), new PartitionProof(List.of(proof, proof), List.of()));
                assertInstanceOf(Verdict.Valid.class, v, v.toString());
            }

            HttpResponse<String> stat = http.send(HttpRequest.newBuilder(URI.create(url + "/stat"))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(stat.body().contains("\"NodeID\":\"post-miner-t01000\""), stat.body());
            String metrics = app.metrics().scrape();
            assertTrue(metrics.contains("post_storage_requests_total{outcome=\"served\",route=\"vanilla_single\"}"),
                    metrics);
        }
    }
}
