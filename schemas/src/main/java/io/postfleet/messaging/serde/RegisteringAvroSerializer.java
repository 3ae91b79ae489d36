package io.postfleet.messaging.serde;

import io.apicurio.registry.rest.client.exception.RestClientException;
import io.apicurio.registry.rest.client.exception.RuleViolationException;
import io.apicurio.registry.rest.v2.beans.Error;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;

/**
 * The Apicurio Avro serializer, with the registry's refusals turned into errors an operator can act on: a schema
 * that breaks the compatibility rule names the record, the topic and the change that is allowed.
 */
public class RegisteringAvroSerializer<T> extends AvroKafkaSerializer<T> {

    @Override
    public byte[] serialize(String topic, T data) {
        try {
            return super.serialize(topic, data);
        } catch (RuntimeException e) {
            throw explain(topic, data, e);
        }
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        try {
            return super.serialize(topic, headers, data);
        } catch (RuntimeException e) {
            throw explain(topic, data, e);
        }
    }

    static RuntimeException explain(String topic, Object data, RuntimeException e) {
        String schema = data instanceof GenericContainer g ? g.getSchema().getFullName() : String.valueOf(
                data == null ? null : data.getClass().getName());
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RuleViolationException rv) {
                return new IncompatibleSchemaException("schema " + schema + " for topic " + topic
                        + " was refused by the schema registry (HTTP 409, artifact " + topic + "-value): "
                        + detail(rv) + ". Under the BACKWARD rule a new version may add fields that have a default "
                        + "and remove fields; it may not add a field without a default or change a field's type. "
                        + "Change the schema that way, or register it under a new topic", rv);
            }
            if (t instanceof RestClientException rc) {
                return new SerializationException("schema " + schema + " for topic " + topic
                        + " could not be registered: " + detail(rc), rc);
            }
        }
        return e;
    }

    private static String detail(RestClientException e) {
        Error err = e.getError();
        if (err == null) {
            return String.valueOf(e.getMessage());
        }
        String d = err.getDetail();
        return err.getMessage() + (d == null || d.isBlank() ? "" : " (" + d.lines().findFirst().orElse("") + ")");
    }
}
