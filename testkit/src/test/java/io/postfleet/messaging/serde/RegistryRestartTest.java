package io.postfleet.messaging.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.postfleet.testkit.SchemaRegistryProcess;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry restarted, and a registry that is down, as the fleet's clients see them. Records on the topics carry
 * content ids, so a restarted registry must answer the same ids for the same schemas or every record written before
 * becomes unreadable (or decodes as another type); and a running producer or consumer must not need the registry
 * for schemas it has already used.
 */
class RegistryRestartTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern GLOBAL_ID = Pattern.compile("\"globalId\"\\s*:\\s*(\\d+)");
    private static final Pattern CONTENT_ID = Pattern.compile("\"contentId\"\\s*:\\s*(\\d+)");
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");

    /** The fleet's four message types, each on a topic of its own as in the fleet. */
    private static Map<String, SpecificRecord> fleetRecords() {
        Map<String, SpecificRecord> m = new LinkedHashMap<>();
        m.put("restart.tasks.window", SampleRecords.windowTask());
        m.put("restart.tasks.winning", SampleRecords.winningTask());
        m.put("restart.results", SampleRecords.result());
        m.put("restart.workers", SampleRecords.workerStatus());
        return m;
    }

    @Test
    void aRegistryRestartedOnItsDataDirectoryKeepsTheIdsAndRecordsWrittenBeforeStayReadable(@TempDir Path data)
            throws Exception {
        Map<String, SpecificRecord> records = fleetRecords();
        Map<String, byte[]> written = new LinkedHashMap<>();
        Map<String, List<Long>> idsBefore = new LinkedHashMap<>();
        int port;
        try (SchemaRegistryProcess registry = SchemaRegistryProcess.builder().dataDir(data).start();
             RegisteringAvroSerializer<Object> serializer = serializer(registry.url())) {
            port = registry.port();
            for (var e : records.entrySet()) {
                written.put(e.getKey(), serializer.serialize(e.getKey(), e.getValue()));
                idsBefore.put(e.getKey(), ids(registry.url(), e.getKey()));
            }
        }
        assertTrue(Files.isRegularFile(data.resolve("registry.mv.db")), "the database file is in the data directory");

        try (SchemaRegistryProcess again = SchemaRegistryProcess.builder().dataDir(data).port(port).start();
             AvroKafkaDeserializer<Object> fresh = deserializer(again.url());
             RegisteringAvroSerializer<Object> freshSerializer = serializer(again.url())) {
            for (var e : records.entrySet()) {
                String topic = e.getKey();
                assertEquals(idsBefore.get(topic), ids(again.url(), topic), "global and content id of " + topic);
                assertEquals(idsBefore.get(topic).get(1).intValue(), contentId(written.get(topic)),
                        "the id the record carries is the content id");
                // a deserializer that has looked up nothing yet: the id is resolved by the restarted registry
                assertEquals(e.getValue(), fresh.deserialize(topic, written.get(topic)), topic);
                // a producer started after the restart finds the schema registered, under the same id
                assertEquals(contentId(written.get(topic)), contentId(freshSerializer.serialize(topic, e.getValue())));
                assertEquals(List.of("1"), versions(again.url(), topic), "no new version of " + topic);
            }
        }
    }

    @Test
    void aRunningProducerAndConsumerKeepSerializingAndDeserializingWhileTheRegistryIsDown(@TempDir Path data)
            throws Exception {
        Map<String, SpecificRecord> records = fleetRecords();
        SchemaRegistryProcess registry = SchemaRegistryProcess.builder().dataDir(data).start();
        try (RegisteringAvroSerializer<Object> serializer = serializer(registry.url());
             AvroKafkaDeserializer<Object> deserializer = deserializer(registry.url())) {
            Map<String, byte[]> before = new LinkedHashMap<>();
            for (var e : records.entrySet()) {
                byte[] bytes = serializer.serialize(e.getKey(), e.getValue());
                assertEquals(e.getValue(), deserializer.deserialize(e.getKey(), bytes));
                before.put(e.getKey(), bytes);
            }

            registry.close();
            assertFalse(registry.isAlive());
            assertThrows(ConnectException.class, () -> get(registry.url(), "/apis/registry/v2/system/info"));

            for (var e : records.entrySet()) {
                byte[] bytes = serializer.serialize(e.getKey(), e.getValue());
                assertEquals(contentId(before.get(e.getKey())), contentId(bytes), "same id, from the serializer's cache");
                assertEquals(e.getValue(), deserializer.deserialize(e.getKey(), bytes), e.getKey());
            }
        } finally {
            registry.close();
        }
    }

    private static RegisteringAvroSerializer<Object> serializer(String url) {
        RegisteringAvroSerializer<Object> s = new RegisteringAvroSerializer<>();
        s.configure(AvroSerdes.serializerConfig(url), false);
        return s;
    }

    private static AvroKafkaDeserializer<Object> deserializer(String url) {
        AvroKafkaDeserializer<Object> d = new AvroKafkaDeserializer<>();
        d.configure(AvroSerdes.deserializerConfig(url), false);
        return d;
    }

    /** The global id and content id of the topic's latest schema version, as the registry reports them. */
    private static List<Long> ids(String url, String topic) throws Exception {
        HttpResponse<String> meta = get(url, "/apis/registry/v2/groups/default/artifacts/" + topic + "-value/meta");
        assertEquals(200, meta.statusCode(), meta.body());
        return List.of(number(GLOBAL_ID, meta.body()), number(CONTENT_ID, meta.body()));
    }

    private static List<String> versions(String url, String topic) throws Exception {
        HttpResponse<String> r = get(url, "/apis/registry/v2/groups/default/artifacts/" + topic + "-value/versions");
        assertEquals(200, r.statusCode(), r.body());
        List<String> out = new ArrayList<>();
        Matcher m = VERSION.matcher(r.body());
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static long number(Pattern field, String json) {
        Matcher m = field.matcher(json);
        assertTrue(m.find(), field + " in " + json);
        return Long.parseLong(m.group(1));
    }

    private static int contentId(byte[] wire) {
        return ByteBuffer.wrap(wire, 1, 4).getInt();
    }

    private static HttpResponse<String> get(String url, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
