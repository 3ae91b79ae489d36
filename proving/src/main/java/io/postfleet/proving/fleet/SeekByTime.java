package io.postfleet.proving.fleet;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A reader that starts at a time rather than at an offset: the topic's records written since then. */
public final class SeekByTime {

    private SeekByTime() {
    }

    /**
     * Seeks each of {@code parts}, assigned to {@code consumer}, to its first record written at or after
     * {@code since} (Kafka's offsets by time), or to its end where there is none.
     *
     * @param timeout how long each of the two broker lookups may take
     * @return the partitions' end offsets as of the seek: reached, the reader has read everything written since
     */
    public static Map<TopicPartition, Long> seek(Consumer<?, ?> consumer, List<TopicPartition> parts, Instant since,
                                                 Duration timeout) {
        Map<TopicPartition, Long> query = new LinkedHashMap<>();
        parts.forEach(tp -> query.put(tp, since.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query, timeout);
        Map<TopicPartition, Long> ends = consumer.endOffsets(parts, timeout);
        for (TopicPartition tp : parts) {
            OffsetAndTimestamp s = starts.get(tp);
            consumer.seek(tp, s == null ? ends.get(tp) : s.offset());
        }
        return ends;
    }
}
