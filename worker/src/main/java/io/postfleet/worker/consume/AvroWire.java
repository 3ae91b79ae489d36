package io.postfleet.worker.consume;

import java.util.HashMap;
import java.util.Map;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro records to and from bytes through the schema registry, in the Confluent wire format (magic byte 0, 4-byte
 * schema id, Avro binary). The worker consumes raw bytes and decodes them here, so a record that cannot be decoded
 * is caught per record and sent to the dead-letter topic instead of failing {@code poll()}.
 */
public final class AvroWire implements AutoCloseable {

    private final Serializer<Object> serializer;
    private final Deserializer<Object> deserializer;

    public AvroWire(String registryUrl) {
        AvroKafkaSerializer<Object> s = new AvroKafkaSerializer<>();
        s.configure(serializerConfig(registryUrl), false);
        AvroKafkaDeserializer<Object> d = new AvroKafkaDeserializer<>();
        d.configure(deserializerConfig(registryUrl), false);
        this.serializer = s;
        this.deserializer = d;
    }

    static Map<String, Object> common(String registryUrl) {
        Map<String, Object> m = new HashMap<>();
        m.put("apicurio.registry.url", registryUrl.endsWith("/apis/registry/v2") ? registryUrl
                : registryUrl.replaceAll("/+$", "") + "/apis/registry/v2");
        m.put("apicurio.registry.headers.enabled", false);
        m.put("apicurio.registry.as-confluent", true);
        m.put("apicurio.registry.use-id", "contentId");
        return m;
    }

    static Map<String, Object> serializerConfig(String registryUrl) {
        Map<String, Object> m = common(registryUrl);
        m.put("apicurio.registry.auto-register", true);
        m.put("apicurio.registry.auto-register.if-exists", "RETURN_OR_UPDATE");
        return m;
    }

    static Map<String, Object> deserializerConfig(String registryUrl) {
        Map<String, Object> m = common(registryUrl);
        m.put("apicurio.registry.use-specific-avro-reader", true);
        return m;
    }

    public byte[] encode(String topic, Object record) {
        return serializer.serialize(topic, record);
    }

    /** Decodes a record value; throws whatever the deserializer throws for bytes it cannot read. */
    public Object decode(String topic, Headers headers, byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("record has no value (a tombstone) where a task was expected");
        }
        return deserializer.deserialize(topic, headers, value);
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
