package io.postfleet.proving.storage.index;

import io.postfleet.proving.fleet.TopicTail;
import io.postfleet.schemas.StorageAnnouncement;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the storage topic into {@link Holders} on its own thread, from the beginning: the topic is compacted, so its
 * retained records are every node's last announcement (and tombstones of nodes that stopped).
 */
public final class SectorIndex extends TopicTail<StorageAnnouncement> {

    private final Holders holders;

    public SectorIndex(Consumer<String, StorageAnnouncement> consumer, String topic, Holders holders) {
        super(consumer, topic, "storage announcement", "remote holders are no longer learned", "sector-index", true);
        this.holders = holders;
    }

    public SectorIndex start() {
        startReading();
        return this;
    }

    public Holders holders() {
        return holders;
    }

    @Override
    protected void take(ConsumerRecord<String, StorageAnnouncement> r) {
        if (r.value() == null) {
            holders.forget(r.key());
        } else {
            holders.record(r.value());
        }
    }
}
