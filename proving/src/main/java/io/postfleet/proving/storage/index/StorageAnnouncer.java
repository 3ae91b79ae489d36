package io.postfleet.proving.storage.index;

import io.postfleet.cli.BuildVersion;
import io.postfleet.proving.storage.serve.SectorInventory;
import io.postfleet.proving.storage.serve.SectorRange;
import io.postfleet.schemas.StorageAnnouncement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Announces what a storage endpoint holds on the storage topic, from its own thread: at start, whenever a rescan finds
 * the sectors or paths changed, and every announce interval regardless (readers drop a node that misses
 * {@value Holders#MISSED_INTERVALS} of them). On close a tombstone says the node stopped serving. Sending goes
 * through {@code send} (each process's own producer and serializer); a send that fails is said once per problem.
 */
public final class StorageAnnouncer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StorageAnnouncer.class);

    /** What a node holds now: its sectors and its storage paths with their free space. */
    record Holdings(List<SectorRange> sectors, List<SectorInventory.StoragePathStat> paths) {
    }

    /** Sends one record: a null announcement is a tombstone for the key. */
    @FunctionalInterface
    public interface Sender {
        Future<?> send(String nodeId, StorageAnnouncement announcementOrNull);
    }

    private final Sender sender;
    private final String nodeId;
    private final String baseUrl;
    private final SectorInventory inventory;
    private final Duration interval;
    private final Duration rescan;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private Holdings last;
    private long lastSentNanos;
    private String failing;

    /**
     * @param interval how often to announce even when nothing changed
     * @param rescan   how often to look for changed holdings (at most {@code interval})
     */
    public StorageAnnouncer(Sender sender, String nodeId, String baseUrl, SectorInventory inventory,
                            Duration interval, Duration rescan, Clock clock) {
        this.sender = sender;
        this.nodeId = nodeId;
        this.baseUrl = baseUrl;
        this.inventory = inventory;
        this.interval = interval;
        this.rescan = rescan.compareTo(interval) > 0 ? interval : rescan;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "storage-announcer-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    public StorageAnnouncer start() {
        thread.scheduleWithFixedDelay(this::tick, 0, rescan.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Rescans and announces now, on the announcer's thread (after a change the caller knows of). */
    public void now() {
        try {
            thread.execute(() -> {
                last = null;
                tick();
            });
        } catch (RuntimeException e) {
            // closed
        }
    }

    private void tick() {
        try {
            Holdings h = new Holdings(inventory.held(), inventory.paths());
            boolean due = System.nanoTime() - lastSentNanos >= interval.toNanos();
            if (last == null || !Objects.equals(h, last) || due) {
                sender.send(nodeId, announcement(h));
                last = h;
                lastSentNanos = System.nanoTime();
                if (failing != null) {
                    LOG.info("storage announcements of {} are sent again", nodeId);
                    failing = null;
                }
            }
        } catch (RuntimeException e) {
            String problem = e.toString();
            if (!problem.equals(failing)) {
                LOG.warn("storage announcement of {} not sent: {}; said once until it changes or works again", nodeId,
                        problem);
                failing = problem;
            }
            last = null;   // try again at the next rescan
        }
    }

    /** The announcement of {@code h}. */
    StorageAnnouncement announcement(Holdings h) {
        return StorageAnnouncement.newBuilder()
                .setNodeId(nodeId)
                .setBaseUrl(baseUrl)
                .setStoragePathIds(h.paths().stream().map(SectorInventory.StoragePathStat::path).toList())
                .setSectorRanges(h.sectors().stream().map(r -> io.postfleet.schemas.SectorRange.newBuilder()
                        .setMinerId(r.minerId()).setFirst(r.first()).setLast(r.last()).build()).toList())
                .setSectorCount(h.sectors().stream().mapToLong(SectorRange::count).sum())
                .setFreeBytes(h.paths().stream().mapToLong(p -> Math.max(0, p.available())).sum())
                .setAnnounceIntervalMillis(interval.toMillis())
                .setUpdatedAt(clock.instant())
                .setVersion(BuildVersion.get())
                .build();
    }

    /** Stops announcing and sends the tombstone, waiting at most {@code within} for it to be acknowledged. */
    public void close(Duration within) {
        thread.shutdownNow();
        try {
            sender.send(nodeId, null).get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.info("tombstone of storage node {} not acknowledged ({}); its announcements expire instead", nodeId,
                    e.toString());
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }
}
