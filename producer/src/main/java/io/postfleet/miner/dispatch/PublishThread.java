package io.postfleet.miner.dispatch;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.Producer;

/** The one thread a publisher sends from, and the producer it owns: both stopped together. */
final class PublishThread implements AutoCloseable {

    final ScheduledExecutorService executor;
    private final Producer<?, ?> producer;

    PublishThread(String name, Producer<?, ?> producer) {
        this.producer = producer;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Stops sending (what is still queued is not sent) and closes the producer. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(2));
    }
}
