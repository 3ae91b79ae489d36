package io.postfleet.proving.storage.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.post.ApiVersion;
import io.postfleet.proofs.post.ChallengeDeriver;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.ProverSettings;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.StoragePaths;
import io.postfleet.proofs.sector.TestSectors;
import io.postfleet.proving.storage.auth.ApiPermission;
import io.postfleet.proving.storage.auth.ApiToken;
import io.postfleet.proving.storage.auth.TokenSecret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads are bounded: with one read slot and a read that hangs (storage that does not answer, even to an interrupt),
 * the hung request is answered 500 at the read time-out, a request waiting for the slot is answered 500 at its own
 * time-out, and once the storage answers again the endpoint serves as before.
 */
class StorageReadLimitsTest {

    @TempDir
    Path storage;

    @Test
    void aHungReadAndARequestWaitingForItsSlotAreAnsweredAtTheReadTimeOut() throws Exception {
        Duration timeout = Duration.ofMillis(700);
        try (CpuHashBackend backend = new CpuHashBackend();
             PartitionProver pp = new PartitionProver(backend, ProverSettings.defaults().withThreads(1))) {
            Manifest m = new TestSectors(backend).pledge(storage, StorageEndpointTest.SIZE, StorageEndpointTest.MINER,
                    2, 10, 31, false, n -> { });
            LocalVanillaProver prover = new LocalVanillaProver(new StoragePaths(List.of(storage)), pp);
            CountDownLatch storageAnswers = new CountDownLatch(1);
            CountDownLatch hung = new CountDownLatch(1);
            prover.beforeRead(() -> {
                hung.countDown();
                boolean interrupted = false;
                while (true) {
                    try {
                        if (storageAnswers.await(10, TimeUnit.SECONDS)) {
                            break;
                        }
                    } catch (InterruptedException e) {
                        interrupted = true; // a stuck read does not answer interrupts
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            });
            TokenSecret secret = TokenSecret.random();
            String admin = ApiToken.upTo(ApiPermission.ADMIN).sign(secret);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (StorageEndpoint e = StorageEndpoint.start(StorageEndpointTest.settings(1, timeout), secret, prover,
                    new DirectoryInventory(prover.paths()), registry)) {
                String body10 = StorageEndpointTest.window(m, 10, ChallengeDeriver.window(StorageEndpointTest.SIZE,
                        ApiVersion.V1_2, StorageEndpointTest.randomness(1), 10, 0)).toJson();
                String body11 = StorageEndpointTest.window(m, 11, ChallengeDeriver.window(StorageEndpointTest.SIZE,
                        ApiVersion.V1_2, StorageEndpointTest.randomness(2), 11, 0)).toJson();

                Instant start = Instant.now();
                CompletableFuture<HttpResponse<byte[]>> first = CompletableFuture.supplyAsync(() -> send(e, body10, admin));
                assertTrue(hung.await(10, TimeUnit.SECONDS), "the first read reached the storage");
                HttpResponse<byte[]> waiting = send(e, body11, admin);
                HttpResponse<byte[]> hungAnswer = first.get(10, TimeUnit.SECONDS);
                Duration took = Duration.between(start, Instant.now());

                assertEquals(500, hungAnswer.statusCode(), StorageEndpointTest.text(hungAnswer));
                assertEquals("sector 10 of t01000: reading its challenges took longer than the read time-out of "
                        + "700 ms (slow or hung storage)", StorageEndpointTest.text(hungAnswer));
                assertEquals(500, waiting.statusCode(), StorageEndpointTest.text(waiting));
                assertEquals("sector 11 of t01000: all 1 read slots stayed busy for the read time-out of 700 ms; ask"
                        + " another holder or retry", StorageEndpointTest.text(waiting));
                assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "answered at the time-out, not later: " + took);
                assertEquals(2, registry.get("post.storage.requests").tag("outcome", "timed_out").counter().count());

                storageAnswers.countDown();
                prover.beforeRead(() -> { });
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                HttpResponse<byte[]> after;
                do {
                    after = send(e, body11, admin);
                } while (after.statusCode() != 200 && System.nanoTime() < deadline);
                assertEquals(200, after.statusCode(), StorageEndpointTest.text(after));
            }
        }
    }

    private static HttpResponse<byte[]> send(StorageEndpoint e, String body, String token) {
        try {
            return StorageEndpointTest.post(e, body, token);
        } catch (Exception x) {
            throw new IllegalStateException(x);
        }
    }
}
