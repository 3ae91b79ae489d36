package io.postfleet.e2e;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postfleet.miner.MinerApp;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.events.MinerEvent;
import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.sector.StoragePaths;
import io.postfleet.proving.storage.auth.ApiPermission;
import io.postfleet.proving.storage.auth.ApiToken;
import io.postfleet.proving.storage.auth.SecretSource;
import io.postfleet.proving.storage.auth.TokenSecret;
import io.postfleet.proving.storage.index.StorageAnnouncer;
import io.postfleet.proving.storage.index.StorageTopic;
import io.postfleet.proving.storage.remote.RemoteReadSettings;
import io.postfleet.proving.storage.serve.ServeSettings;
import io.postfleet.proving.storage.serve.StorageEndpoint;
import io.postfleet.schemas.PostKind;
import io.postfleet.worker.consume.PostWorker;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static io.postfleet.e2e.MinerFleet.await;
import static io.postfleet.e2e.MinerFleet.deadlineSubmitted;
import static io.postfleet.e2e.MinerFleet.events;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The split set-up: two storage-only nodes hold disjoint halves of the sectors and announce them on the storage topic;
 * the window and winning workers have no storage path at all. Every sector is read over Lotus's /remote protocol from
 * the node that holds it, verified by the worker, and the miner accepts the workers' proofs, with the node that served
 * each sector named in the ACCEPTED event.
 */
class StorageSplitTest {

    /** A storage-only node over {@code dir}: the /remote endpoint and its announcements. */
    record StorageNode(String id, StorageEndpoint endpoint, StorageAnnouncer announcer,
                       Producer<String, SpecificRecord> producer) implements AutoCloseable {

        static StorageNode start(MinerFleet fleet, String id, Path dir, Path secret) throws IOException {
            StorageEndpoint endpoint = StorageEndpoint.serve(new ServeSettings(new InetSocketAddress("127.0.0.1", 0), 4,
                    Duration.ofSeconds(30), SecretSource.file(secret), id), new StoragePaths(List.of(dir)),
                    new CpuHashBackend(1), new SimpleMeterRegistry(), Map.of(), note -> { });
            Producer<String, SpecificRecord> producer = StorageTopic.producer(fleet.bootstrap, fleet.registry,
                    new Properties(), "storage-" + id);
            StorageAnnouncer announcer = new StorageAnnouncer(StorageTopic.sender(producer, fleet.topics.storage()), id,
                    endpoint.baseUrl(), endpoint.inventory(), Duration.ofSeconds(2), Duration.ofMillis(500),
                    Clock.systemUTC()).start();
            return new StorageNode(id, endpoint, announcer, producer);
        }

        @Override
        public void close() {
            announcer.close(Duration.ofSeconds(2));
            producer.close(Duration.ofSeconds(2));
            endpoint.close();
        }
    }

    @Test
    void workersWithoutStorageProveEverySectorFromTheNodesThatHoldThem() throws Exception {
        try (MinerFleet fleet = new MinerFleet("split", 4)) {
            Path secret = Files.createTempDirectory("split-secret-").resolve("token-secret");
            String token = ApiToken.upTo(ApiPermission.ADMIN).sign(TokenSecret.loadOrCreate(secret, note -> { }));
            Path halfA = copySectors(fleet, 0, 1);
            Path halfB = copySectors(fleet, 2, 3);
            try (StorageNode a = StorageNode.start(fleet, "node-a", halfA, secret);
                 StorageNode b = StorageNode.start(fleet, "node-b", halfB, secret)) {
                RemoteReadSettings remote = RemoteReadSettings.defaults().withToken(token);
                PostWorker window = fleet.worker(PostKind.WINDOW, "window-1", Duration.ZERO, List.of(),
                        c -> c.withRemote(remote));
                fleet.worker(PostKind.WINNING, "winning-1", Duration.ZERO, List.of(), c -> c.withRemote(remote));
                MinerFleet.Settings s = fleet.settings();
                s.winProbability = 1.0;
                s.winningBudget = Duration.ofSeconds(5);
                MinerApp app = fleet.miner(s);
                FleetDeadlineTest.awaitLiveWorkers(app, 1);
                awaitLiveWinning(app);
                app.start();

                MinerEvent submitted = await(app, Duration.ofSeconds(90), "deadline 0 submitted", deadlineSubmitted(0));
                assertEquals(List.of(), submitted.details().get("faulty_sectors"));
                List<MinerEvent> accepted = events(app, EventType.ACCEPTED).stream()
                        .filter(e -> e.deadline() == 0 && e.partition() >= 0 && !"winning-1".equals(e.worker())).toList();
                assertTrue(!accepted.isEmpty() && accepted.stream().allMatch(e -> "window-1".equals(e.worker())),
                        "the window worker proved deadline 0: " + accepted);
                for (MinerEvent e : accepted) {
                    @SuppressWarnings("unchecked")
                    Map<String, String> readFrom = (Map<String, String>) e.details().get("read_from");
                    assertTrue(readFrom != null && !readFrom.isEmpty(), "the holders are named: " + e);
                    readFrom.forEach((sector, holder) -> assertTrue(holder.startsWith(
                            Long.parseLong(sector) <= 1 ? "node-a" : "node-b"), sector + " read from " + holder));
                }
                MinerEvent winning = await(app, Duration.ofSeconds(60), "a winning proof by the winning worker",
                        e -> e.type() == EventType.ACCEPTED && "winning-1".equals(e.worker()));
                assertTrue(winning.details().get("read_from") instanceof Map<?, ?> m && m.size() == 1, winning.toString());
                assertEquals(List.of(), events(app, EventType.MISSED));
                assertTrue(a.endpoint().storageAccesses() > 0 && b.endpoint().storageAccesses() > 0,
                        "both nodes served");
                assertTrue(window.meters().find("post.storage.remote.reads").tag("outcome", "proven").counters()
                        .stream().mapToDouble(c -> c.count()).sum() >= 4, "the window worker counted its remote reads");
            }
        }
    }

    static void awaitLiveWinning(MinerApp app) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (app.lag().view(PostKind.WINNING).liveWorkers().isEmpty() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
    }

    /** A storage path holding only sectors {@code ids} of the fleet (replica and cache), copied. */
    static Path copySectors(MinerFleet fleet, long... ids) throws IOException {
        Path dir = Files.createTempDirectory("storage-node-");
        Files.createDirectories(dir.resolve(StoragePaths.SEALED));
        Files.createDirectories(dir.resolve(StoragePaths.CACHE));
        for (long id : ids) {
            String name = "s-t0" + MinerFleet.MINER + "-" + id;
            Files.copy(fleet.storage.resolve(StoragePaths.SEALED).resolve(name),
                    dir.resolve(StoragePaths.SEALED).resolve(name));
            Path cache = dir.resolve(StoragePaths.CACHE).resolve(name);
            Files.createDirectories(cache);
            try (Stream<Path> files = Files.list(fleet.storage.resolve(StoragePaths.CACHE).resolve(name))) {
                for (Path f : files.toList()) {
                    Files.copy(f, cache.resolve(f.getFileName()));
                }
            }
        }
        return dir;
    }
}
