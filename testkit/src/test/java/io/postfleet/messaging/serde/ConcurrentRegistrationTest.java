package io.postfleet.messaging.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.postfleet.testkit.SchemaRegistryProcess;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * A fleet starting at once: miner and workers, each its own process, register the same new schemas at the same
 * moment. Every registration must succeed, promptly, with one id per schema (Apicurio's embedded database deadlocks
 * on this unless the registry takes one request at a time, see registry/README.md).
 */
class ConcurrentRegistrationTest {

    @Test
    void manyClientsRegisteringTheSameNewSchemasAtOnceAllSucceed() throws Exception {
        String url = SchemaRegistryProcess.shared().url();
        List<SpecificRecord> records = List.of(SampleRecords.windowTask(), SampleRecords.winningTask(),
                SampleRecords.result(), SampleRecords.workerStatus());
        String topic = "race-" + System.nanoTime();
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Integer>>> ids = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (int c = 0; c < clients; c++) {
                ids.add(pool.submit(() -> {
                    RegisteringAvroSerializer<Object> s = new RegisteringAvroSerializer<>();
                    s.configure(AvroSerdes.serializerConfig(url), false);
                    go.await();
                    List<Integer> out = new ArrayList<>();
                    for (SpecificRecord r : records) {
                        byte[] bytes = s.serialize(topic + "-" + r.getSchema().getName(), r);
                        out.add(java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt()); // Confluent wire format: magic, id
                    }
                    s.close();
                    return out;
                }));
            }
            go.countDown();
            List<Integer> first = ids.get(0).get(60, TimeUnit.SECONDS);
            for (Future<List<Integer>> f : ids) {
                assertEquals(first, f.get(60, TimeUnit.SECONDS), "every client got the same schema ids");
            }
        } finally {
            pool.shutdownNow();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        System.out.println("concurrent registration: " + clients + " clients x " + records.size() + " schemas in "
                + took.toMillis() + " ms");
        assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "registrations took " + took.toMillis() + " ms");
    }
}
