package io.postfleet.worker.consume;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.postfleet.messaging.serde.AvroSerdes;
import io.postfleet.messaging.serde.RegisteringAvroSerializer;
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
        RegisteringAvroSerializer<Object> s = new RegisteringAvroSerializer<>();
        s.configure(AvroSerdes.serializerConfig(registryUrl), false);
        AvroKafkaDeserializer<Object> d = new AvroKafkaDeserializer<>();
        d.configure(AvroSerdes.deserializerConfig(registryUrl), false);
        this.serializer = s;
        this.deserializer = d;
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
