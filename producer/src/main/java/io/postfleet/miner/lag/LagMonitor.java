package io.postfleet.miner.lag;

import io.postfleet.schemas.PostKind;
import io.postfleet.proving.fleet.ConsumerGroups;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reads, per kind, the consumer group's lag, members and assignments from the Admin API and joins them with the
 * heartbeats of {@link WorkerRoster}. {@link #refresh()} is called on a timer; {@link #view(PostKind)} returns the
 * latest picture without a round trip, so dispatching a winning task costs no Admin call.
 */
public final class LagMonitor {

    private static final Logger log = LoggerFactory.getLogger(LagMonitor.class);

    /** One kind's group and task topic. */
    public record Watched(PostKind kind, String groupId, String topic) {
    }

    private final Admin admin;
    private final WorkerRoster roster;
    private final Map<PostKind, Watched> watched = new EnumMap<>(PostKind.class);
    private final Map<PostKind, GroupView> views = new EnumMap<>(PostKind.class);

    public LagMonitor(Admin admin, WorkerRoster roster, List<Watched> groups) {
        this.admin = admin;
        this.roster = roster;
        for (Watched w : groups) {
            watched.put(w.kind(), w);
            views.put(w.kind(), GroupView.empty(w.kind()));
        }
    }

    public synchronized GroupView view(PostKind kind) {
        GroupView cached = views.get(kind);
        // heartbeats change faster than the Admin picture: re-join the cached membership with the roster now
        return new GroupView(kind, cached.at(), cached.lag(), cached.partitionsByMember(), roster.live(kind));
    }

    /** Re-reads every watched group from the broker. Failures keep the previous picture and are logged. */
    public void refresh() {
        for (Watched w : watched.values()) {
            try {
                GroupView v = read(w);
                synchronized (this) {
                    views.put(w.kind(), v);
                }
            } catch (Exception e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
                    // no worker of this kind has joined yet: nobody consumes
                    synchronized (this) {
                        views.put(w.kind(), new GroupView(w.kind(), Instant.now(), 0, Map.of(), roster.live(w.kind())));
                    }
                    continue;
                }
                // a group the miner cannot read is not known to consume: the miner proves what is due itself
                log.warn("cannot read consumer group {} ({}): counting it as having no live consumer", w.groupId(),
                        e.toString());
                synchronized (this) {
                    GroupView before = views.getOrDefault(w.kind(), GroupView.empty(w.kind()));
                    views.put(w.kind(), new GroupView(w.kind(), Instant.now(), before.lag(), Map.of(), List.of()));
                }
            }
        }
    }

    /** A worker's consumer is named {@code <worker id>-consumer}: the member is matched with that worker's heartbeats. */
    static String workerId(String clientId) {
        return ConsumerGroups.workerIdOf(clientId);
    }

    private GroupView read(Watched w) throws Exception {
        Map<String, Set<Integer>> byMember = new HashMap<>();
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(w.groupId()))
                .describedGroups().get(w.groupId()).get(5, TimeUnit.SECONDS);
        for (MemberDescription m : group.members()) {
            Set<Integer> parts = new HashSet<>();
            for (TopicPartition tp : m.assignment().topicPartitions()) {
                if (tp.topic().equals(w.topic())) {
                    parts.add(tp.partition());
                }
            }
            byMember.merge(workerId(m.clientId()), parts, (a, b) -> {
                Set<Integer> s = new HashSet<>(a);
                s.addAll(b);
                return s;
            });
        }
        int partitions = admin.describeTopics(List.of(w.topic())).allTopicNames().get(5, TimeUnit.SECONDS)
                .get(w.topic()).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(w.topic(), p), OffsetSpec.latest());
            earliest.put(new TopicPartition(w.topic(), p), OffsetSpec.earliest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = admin.listOffsets(earliest).all()
                .get(5, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(w.groupId())
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        long lag = 0;
        for (var e : ends.entrySet()) {
            // a partition the group never committed on is read from the log start: records retention deleted
            // are not waiting for anyone
            long start = starts.get(e.getKey()).offset();
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += Math.max(0, e.getValue().offset() - Math.max(start, c == null ? 0 : c.offset()));
        }
        return new GroupView(w.kind(), Instant.now(), lag, byMember, roster.live(w.kind()));
    }
}
