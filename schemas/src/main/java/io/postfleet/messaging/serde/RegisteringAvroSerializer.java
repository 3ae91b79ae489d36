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
 * that breaks the compatibility rule names the record, the topic and the change that is allowed; a registry that
 * cannot be reached or answers with an error is named by its URL, with the cause.
 */
public class RegisteringAvroSerializer<T> extends AvroKafkaSerializer<T> {

    /** Attempts at registering or looking up a schema before a registry error is final. */
    static final int ATTEMPTS = 8;

    private String registryUrl = "the schema registry";

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object url = configs.get(SerdeConfig.REGISTRY_URL);
        if (url != null) {
            registryUrl = url.toString();
        }
        super.configure(configs, isKey);
    }

    // serialize(topic, data) of the parent calls this one: overriding both would retry inside the retries
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
                RuntimeException explained = explain(registryUrl, topic, data, e);
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

    static RuntimeException explain(String registryUrl, String topic, Object data, RuntimeException e) {
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
                        + " could not be registered at " + registryUrl + ": " + detail(rc), rc);
            }
            if (t instanceof java.io.IOException io) {
                // an answer that is not the registry's JSON (an HTML page, a proxy's error)
                return new SerializationException("schema " + schema + " for topic " + topic
                        + " could not be registered at " + registryUrl + ": its answer could not be read ("
                        + (io.getMessage() == null ? io.getClass().getSimpleName()
                        : io.getMessage().lines().findFirst().orElse("")) + "); check that the URL is the registry's",
                        io);
            }
        }
        return e;
    }

    /**
     * What the registry said, or what kept it from saying anything: the client reports a connection failure as an
     * error that has only the exception's name ({@code ConnectException}) and no message.
     */
    private static String detail(RestClientException e) {
        Error err = e.getError();
        if (err == null) {
            return String.valueOf(e.getMessage());
        }
        String code = err.getErrorCode() == null || err.getErrorCode() == 0 ? "" : "HTTP " + err.getErrorCode() + " ";
        if (err.getMessage() != null && !err.getMessage().isBlank()) {
            return code + err.getMessage();
        }
        return code + (err.getName() == null ? "no answer" : err.getName() + ", no answer")
                + "; check that the registry runs at that URL";
    }
}
