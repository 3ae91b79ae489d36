package io.postfleet.worker.consume;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks the miner has settled (accepted or abandoned), read from the compacted settled topic on a thread of its
 * own, so the worker skips them instead of proving what nobody needs any more: a worker that comes back to a
 * backlog, or after a broker restart, does not burn GPU time on deadlines already submitted. Holds at most
 * {@link #MAX_REMEMBERED} task ids, the newest.
 */
final class SettledTasks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SettledTasks.class);
    static final int MAX_REMEMBERED = 200_000;

    private final KafkaConsumer<String, String> consumer;
    private final String topic;
    private final Map<String, String> settled = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean started;

    SettledTasks(String bootstrap, Properties extra, String topic, String workerId) {
        Properties p = new Properties();
        p.putAll(extra);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, workerId + "-settled");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        this.topic = topic;
        this.thread = new Thread(this::read, "post-settled-" + workerId);
        this.thread.setDaemon(true);
    }

    SettledTasks start() {
        started = true;
        thread.start();
        return this;
    }

    /** Waits until what the topic held at start-up has been read; false when that took longer than {@code timeout}. */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How the miner settled {@code taskId}, or null when it has not (as far as this worker has read). */
    synchronized String settlement(String taskId) {
        return settled.get(taskId);
    }

    private void read() {
        try {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, Duration.ofSeconds(30));
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    synchronized (this) {
                        if (r.value() == null) {
                            settled.remove(r.key());
                        } else {
                            settled.put(r.key(), r.value());
                        }
                    }
                }
                if (caughtUp.getCount() > 0 && parts.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException stopping) {
            // close()
        } catch (RuntimeException e) {
            if (running) {
                LOG.warn("settled tasks are not read any more ({}); settled tasks may be proven again",
                        e.toString());
            }
        } finally {
            caughtUp.countDown(); // never hold the worker back on this
            consumer.close(Duration.ofSeconds(1));
        }
    }

    @Override
    public void close() {
        running = false;
        if (!started) {
            consumer.close(Duration.ZERO);
            return;
        }
        consumer.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
