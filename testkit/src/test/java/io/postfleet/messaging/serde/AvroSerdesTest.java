package io.postfleet.messaging.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.postfleet.schemas.PostResult;
import io.postfleet.testkit.SchemaRegistryProcess;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The serde settings of {@link AvroSerdes} against the project's real registry process: Confluent wire format with
 * content ids, auto-registration under the BACKWARD rule, specific records on the reading side.
 *
 * <p>A serializer caches schemas by content, whatever the topic: once it has registered a schema for one topic it
 * does not register it again for another. Tests that count a topic's versions therefore use a serializer of their
 * own, as each producer process has.
 */
class AvroSerdesTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static String url;
    private static RegisteringAvroSerializer<Object> serializer;
    private static AvroKafkaDeserializer<Object> deserializer;

    @BeforeAll
    static void connect() {
        url = SchemaRegistryProcess.shared().url();
        serializer = new RegisteringAvroSerializer<>();
        serializer.configure(AvroSerdes.serializerConfig(url), false);
        deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(AvroSerdes.deserializerConfig(url), false);
    }

    @AfterAll
    static void disconnect() {
        serializer.close();
        deserializer.close();
    }

    static Stream<SpecificRecord> eachMessageType() {
        return Stream.of(SampleRecords.windowTask(), SampleRecords.winningTask(), SampleRecords.result(),
                SampleRecords.workerStatus());
    }

    @ParameterizedTest
    @MethodSource("eachMessageType")
    void eachMessageTypeComesBackEqualThroughTheRegistryInConfluentWireFormat(SpecificRecord record) throws Exception {
        String topic = topic("roundtrip." + record.getSchema().getName());
        byte[] bytes = serializer.serialize(topic, record);

        assertEquals(0, bytes[0], "Confluent magic byte");
        int id = contentId(bytes);
        Object back = deserializer.deserialize(topic, bytes);
        assertInstanceOf(record.getClass(), back, "generated class on the reading side");
        assertEquals(record, back);

        // the id is the registry's content id, which Confluent-compatible readers resolve to the same schema
        HttpResponse<String> ccompat = get("/apis/ccompat/v7/schemas/ids/" + id);
        assertEquals(200, ccompat.statusCode(), ccompat.body());
        HttpResponse<String> content = get("/apis/registry/v2/ids/contentIds/" + id);
        assertEquals(record.getSchema(), new Schema.Parser().parse(content.body()));

        // a second record of the same schema reuses the registered id
        assertEquals(id, contentId(serializer.serialize(topic, record)));
    }

    @Test
    void anAddedFieldWithADefaultIsAcceptedAndOldAndNewReadersReadBothVersions() throws Exception {
        String topic = topic("evolve");
        Schema v1 = PostResult.getClassSchema();
        Schema v2 = withField(v1, new Schema.Field("queueMillis", Schema.create(Schema.Type.LONG),
                "time the task waited before a worker took it", 0L));
        PostResult original = SampleRecords.result();

        byte[] writtenV1;
        byte[] writtenV2;
        try (RegisteringAvroSerializer<Object> serializer = freshSerializer()) {
            writtenV1 = serializer.serialize(topic, original);
            GenericRecord newer = convert(original, v2);
            newer.put("queueMillis", 250L);
            writtenV2 = serializer.serialize(topic, newer);
        }

        assertNotEquals(contentId(writtenV1), contentId(writtenV2), "v2 is registered as a schema of its own");
        assertEquals(List.of("1", "2"), versions(topic));

        // the old reader (the generated class) reads both, v2's new field dropped
        assertEquals(original, deserializer.deserialize(topic, writtenV1));
        assertEquals(original, deserializer.deserialize(topic, writtenV2));

        // the new reader reads both: v1 records get the default
        GenericRecord v1AsV2 = readAs(v2, writtenV1);
        assertEquals(0L, v1AsV2.get("queueMillis"));
        assertEquals(original.getTaskId(), v1AsV2.get("taskId").toString());
        GenericRecord v2AsV2 = readAs(v2, writtenV2);
        assertEquals(250L, v2AsV2.get("queueMillis"));
        assertEquals(original.getProvingMillis(), v2AsV2.get("provingMillis"));
    }

    static Stream<Map.Entry<String, Schema>> breakingChanges() {
        Schema v1 = PostResult.getClassSchema();
        return Stream.of(
                Map.entry("workerId changed from string to long", withType(v1, "workerId", Schema.create(Schema.Type.LONG))),
                Map.entry("queueMillis added without a default", withField(v1, new Schema.Field("queueMillis",
                        Schema.create(Schema.Type.LONG), null, (Object) null))));
    }

    @ParameterizedTest
    @MethodSource("breakingChanges")
    void aBreakingChangeIsRefusedByTheRegistryAndTheSerializerSaysWhatToDo(Map.Entry<String, Schema> change)
            throws Exception {
        String topic = topic("breaking");
        PostResult original = SampleRecords.result();
        RegisteringAvroSerializer<Object> serializer = freshSerializer();
        serializer.serialize(topic, original);
        Schema broken = change.getValue();
        GenericRecord record = convert(original, broken);
        if (broken.getField("queueMillis") != null) {
            record.put("queueMillis", 1L);
        } else {
            record.put("workerId", 7L);
        }

        IncompatibleSchemaException e = assertThrows(IncompatibleSchemaException.class,
                () -> serializer.serialize(topic, record), change.getKey());
        serializer.close();
        assertTrue(e.getMessage().contains("io.postfleet.schemas.PostResult for topic " + topic), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 409"), e.getMessage());
        assertTrue(e.getMessage().contains("BACKWARD"), e.getMessage());

        // the registry itself refuses the same schema posted directly, and kept only the first version
        HttpResponse<String> direct = HTTP.send(HttpRequest.newBuilder(URI.create(url
                        + "/apis/registry/v2/groups/default/artifacts/" + topic + "-value/versions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(broken.toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(409, direct.statusCode(), direct.body());
        assertEquals(List.of("1"), versions(topic));
    }

    @Test
    void aTopicsOwnRuleOverridesTheGlobalOne() throws Exception {
        String topic = topic("rules");
        RegistryRules rules = new RegistryRules(url);
        rules.setGlobalCompatibility(Compatibility.BACKWARD); // already so: replacing it is harmless
        assertEquals(Optional.of(Compatibility.BACKWARD), rules.globalCompatibility());

        RegisteringAvroSerializer<Object> serializer = freshSerializer();
        serializer.serialize(topic, SampleRecords.result());
        assertEquals(Optional.empty(), rules.valueCompatibility(topic));
        rules.setValueCompatibility(topic, Compatibility.NONE);
        assertEquals(Optional.of(Compatibility.NONE), rules.valueCompatibility(topic));
        GenericRecord retyped = convert(SampleRecords.result(),
                withType(PostResult.getClassSchema(), "workerId", Schema.create(Schema.Type.LONG)));
        retyped.put("workerId", 7L);
        serializer.serialize(topic, retyped); // no rule against it on this topic
        assertEquals(List.of("1", "2"), versions(topic));

        rules.setValueCompatibility(topic, Compatibility.FULL);
        assertEquals(Optional.of(Compatibility.FULL), rules.valueCompatibility(topic));
        serializer.close();
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> rules.setValueCompatibility(topic("never-written"), Compatibility.BACKWARD));
        assertTrue(missing.getMessage().contains("HTTP 404"), missing.getMessage());
    }

    @Test
    void aRegistryThatDoesNotAnswerIsNamedByItsUrlWithTheCauseAfterOneRoundOfRetries() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort(); // free, then closed: nothing listens there
        }
        RegisteringAvroSerializer<Object> gone = new RegisteringAvroSerializer<>();
        gone.configure(AvroSerdes.serializerConfig("http://127.0.0.1:" + port), false);
        long start = System.nanoTime();
        org.apache.kafka.common.errors.SerializationException e = assertThrows(
                org.apache.kafka.common.errors.SerializationException.class,
                () -> gone.serialize(topic("gone"), SampleRecords.workerStatus()));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        gone.close();
        assertTrue(e.getMessage().contains("could not be registered at http://127.0.0.1:" + port
                + "/apis/registry/v2: ConnectException, no answer; check that the registry runs at that URL"),
                e.getMessage());
        // eight attempts with about 4 s of pauses, not eight times eight
        assertTrue(took.compareTo(Duration.ofSeconds(12)) < 0, "gave up after " + took);
    }

    @Test
    void registryUrlsAreTakenAsRootOrApiAndRefusedWhenNotHttp() {
        assertEquals("http://127.0.0.1:8080/apis/registry/v2", AvroSerdes.apiUrl("http://127.0.0.1:8080/"));
        assertEquals("http://127.0.0.1:8080/apis/registry/v2", AvroSerdes.apiUrl("http://127.0.0.1:8080/apis/registry/v2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AvroSerdes.apiUrl("127.0.0.1:8080"));
        assertTrue(e.getMessage().contains("http://127.0.0.1:8080"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AvroSerdes.apiUrl(" "));
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static RegisteringAvroSerializer<Object> freshSerializer() {
        RegisteringAvroSerializer<Object> s = new RegisteringAvroSerializer<>();
        s.configure(AvroSerdes.serializerConfig(url), false);
        return s;
    }

    private static String topic(String what) {
        return "serde." + what + "." + UUID.randomUUID();
    }

    private static int contentId(byte[] wire) {
        return ByteBuffer.wrap(wire, 1, 4).getInt();
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> versions(String topic) throws Exception {
        HttpResponse<String> r = get("/apis/registry/v2/groups/default/artifacts/" + topic + "-value/versions");
        assertEquals(200, r.statusCode(), r.body());
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Decodes a wire-format record as the given reader schema, with the writer schema the record's id names. */
    private static GenericRecord readAs(Schema reader, byte[] wire) throws Exception {
        HttpResponse<String> writer = get("/apis/registry/v2/ids/contentIds/" + contentId(wire));
        assertEquals(200, writer.statusCode(), writer.body());
        Schema writerSchema = new Schema.Parser().parse(writer.body());
        return new GenericDatumReader<GenericRecord>(writerSchema, reader)
                .read(null, DecoderFactory.get().binaryDecoder(wire, 5, wire.length - 5, null));
    }

    /** A generated record as a generic record of another schema: shared fields carried over, new ones defaulted. */
    private static GenericRecord convert(SpecificRecord record, Schema target) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, enc);
        enc.flush();
        GenericRecord same = new GenericDatumReader<GenericRecord>(record.getSchema())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        GenericData.Record converted = new GenericData.Record(target);
        for (Schema.Field f : target.getFields()) {
            Schema.Field old = record.getSchema().getField(f.name());
            converted.put(f.name(), old != null && old.schema().equals(f.schema()) ? same.get(f.name())
                    : f.hasDefaultValue() ? GenericData.get().getDefaultValue(f) : null);
        }
        return converted;
    }

    private static Schema withField(Schema base, Schema.Field added) {
        List<Schema.Field> fields = copyFields(base);
        fields.add(added);
        return record(base, fields);
    }

    private static Schema withType(Schema base, String name, Schema type) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : base.getFields()) {
            fields.add(f.name().equals(name) ? new Schema.Field(f.name(), type, f.doc()) : new Schema.Field(f, f.schema()));
        }
        return record(base, fields);
    }

    private static List<Schema.Field> copyFields(Schema base) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : base.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        return fields;
    }

    private static Schema record(Schema base, List<Schema.Field> fields) {
        return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
    }
}
