package io.postfleet.messaging.serde;

import io.apicurio.registry.rest.client.exception.RestClientException;
import io.apicurio.registry.rest.client.exception.RuleViolationException;
import io.apicurio.registry.rest.v2.beans.Error;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;

import java.util.Map;

/**
 * The Apicurio Avro serializer, with the registry's refusals turned into errors an operator can act on: a schema
 * that breaks the compatibility rule names the record, the topic and the change that is allowed.
 */
public class RegisteringAvroSerializer<T> extends AvroKafkaSerializer<T> {

    /** Attempts at registering or looking up a schema before a registry error is final. */
    static final int ATTEMPTS = 8;

    /** The registry this serializer talks to, for errors; set by {@link #configure}. */
    private String registryUrl = "(not configured)";

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object url = configs.get(SerdeConfig.REGISTRY_URL);
        if (url != null) {
            registryUrl = url.toString();
        }
        super.configure(configs, isKey);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return withRetries(topic, data, () -> super.serialize(topic, data));
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        return withRetries(topic, data, () -> super.serialize(topic, headers, data));
    }

    /**
     * Runs {@code call}, retrying with back-off (50 ms doubling up to 1 s, eight attempts, about 4 s of pauses) when the registry fails
     * for a passing reason (restarting, overloaded, or a registry whose database answers lock time-outs or
     * duplicate keys when clients register the same new schema at once). A compatibility refusal is final at once.
     */
    private byte[] withRetries(String topic, T data, java.util.function.Supplier<byte[]> call) {
        long pause = 50;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                RuntimeException explained = explain(topic, data, registryUrl, e);
                if (explained instanceof IncompatibleSchemaException || !isRegistryError(e) || attempt >= ATTEMPTS) {
                    throw explained;
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw explained;
                }
                pause = Math.min(pause * 2, 1000);
            }
        }
    }

    private static boolean isRegistryError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RestClientException || t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    static RuntimeException explain(String topic, Object data, String registryUrl, RuntimeException e) {
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
                        + " could not be registered or looked up at the schema registry " + registryUrl + ": "
                        + detail(rc), rc);
            }
        }
        return e;
    }

    private static String detail(RestClientException e) {
        Error err = e.getError();
        if (err != null && err.getMessage() != null) {
            return err.getMessage();
        }
        if (e.getMessage() != null) {
            return e.getMessage();
        }
        // what the client reports when no HTTP answer came at all (refused, reset, timed out)
        return "no answer. Is the registry running and reachable from here? Records of schemas this process has "
                + "already used are still sent; a schema it has not used yet needs the registry";
    }
}
