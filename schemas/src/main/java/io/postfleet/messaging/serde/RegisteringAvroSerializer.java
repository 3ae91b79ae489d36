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
                Integer code = rv.getError() == null ? null : rv.getError().getErrorCode();
                return new IncompatibleSchemaException("schema " + schema + " for topic " + topic
                        + " was refused by the schema registry (HTTP " + (code == null ? 409 : code) + ", artifact "
                        + topic + "-value): "
                        + detail(rv) + ". The fleet's rule is BACKWARD (readers on the new schema read the old data): a new "
                        + "version may add a field only with a default and may not change a field's type. Change "
                        + "the schema that way, or publish it on a new topic", rv);
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
        if (err == null || err.getMessage() == null) {
            return String.valueOf(e.getMessage());
        }
        return err.getMessage();
    }
}
