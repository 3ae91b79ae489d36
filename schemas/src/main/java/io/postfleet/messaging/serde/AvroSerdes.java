package io.postfleet.messaging.serde;

import io.apicurio.registry.serde.Legacy4ByteIdHandler;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * Serde settings for the fleet's Avro record values, built here and nowhere else.
 *
 * <p>Wire format: Confluent's (magic byte 0, 4-byte id, Avro binary) with the registry's content id as the id and no
 * Kafka headers, so any Confluent-compatible reader resolves the id through {@code /apis/ccompat/v7/schemas/ids/}.
 * Artifacts are named by topic ({@code <topic>-value}, group {@code default}). Producers register a schema the
 * registry has not seen yet; the registry refuses one that breaks its compatibility rule (BACKWARD, see
 * {@link RegistryRules}) and {@link RegisteringAvroSerializer} turns that refusal into an error saying what to fix.
 * Readers decode into the generated specific classes, resolving older or newer writer schemas against them.
 *
 * <p>The registry is off the hot path: a serializer or deserializer asks it about a schema or an id once and keeps the
 * answer for as long as it lives ({@link #CACHE_FOREVER_MS}), so a running producer or consumer goes on through a
 * registry outage of any length with the schemas it has used. Only a schema or id it has not met yet needs the
 * registry up.
 *
 * <p>A registry URL may be given as the server root ({@code http://127.0.0.1:8080}) or as its v2 API
 * ({@code .../apis/registry/v2}).
 */
public final class AvroSerdes {

    /** The registry's native API, the one Apicurio serdes speak. */
    public static final String API_PATH = "/apis/registry/v2";

    /**
     * How long a client keeps what it looked up: for good. Apicurio's default (30 s) makes every client ask again 30 s
     * after each lookup, and while the registry is down that fails the send or the read (after the serializer's
     * retries, over half a minute each). Nothing is lost by never asking again: a content id, once given, always names
     * the same schema (the registry's storage is durable), and a serializer's schema is that of its record class.
     */
    public static final long CACHE_FOREVER_MS = Long.MAX_VALUE;

    private AvroSerdes() {
    }

    /** Settings for a value serializer (no serializer class): wire format, auto-registration. */
    public static Map<String, Object> serializerConfig(String registryUrl) {
        Map<String, Object> m = common(registryUrl);
        m.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
        // an unseen schema becomes a new version (checked against the rule); a known one reuses its id
        m.put(SerdeConfig.AUTO_REGISTER_ARTIFACT_IF_EXISTS, "RETURN_OR_UPDATE");
        return m;
    }

    /** Settings for a value deserializer (no deserializer class): wire format, generated specific records. */
    public static Map<String, Object> deserializerConfig(String registryUrl) {
        Map<String, Object> m = common(registryUrl);
        m.put(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
        return m;
    }

    /** Producer entries: {@link #serializerConfig} plus the value serializer class. Keys stay the caller's. */
    public static Map<String, Object> producerConfig(String registryUrl) {
        Map<String, Object> m = serializerConfig(registryUrl);
        m.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, RegisteringAvroSerializer.class.getName());
        return m;
    }

    /** Consumer entries: {@link #deserializerConfig} plus the value deserializer class. Keys stay the caller's. */
    public static Map<String, Object> consumerConfig(String registryUrl) {
        Map<String, Object> m = deserializerConfig(registryUrl);
        m.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName());
        return m;
    }

    /** The registry's v2 API base for a root or API URL; refuses what is not an http(s) URL. */
    public static String apiUrl(String registryUrl) {
        if (registryUrl == null || registryUrl.isBlank()) {
            throw new IllegalArgumentException("no schema registry URL: give one such as http://127.0.0.1:8080");
        }
        String u = registryUrl.strip().replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schema registry URL '" + registryUrl + "' is not a URL: " + e.getMessage()
                    + "; give one such as http://127.0.0.1:8080", e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("schema registry URL '" + registryUrl
                    + "' is not an http(s) URL with a host; give one such as http://127.0.0.1:8080");
        }
        return u.endsWith(API_PATH) ? u : u + API_PATH;
    }

    private static Map<String, Object> common(String registryUrl) {
        Map<String, Object> m = new HashMap<>();
        m.put(SerdeConfig.REGISTRY_URL, apiUrl(registryUrl));
        m.put(SerdeConfig.ENABLE_HEADERS, false);
        // Confluent's wire format (magic byte, 4-byte id) named by its handler: Apicurio's as-confluent switch does the
        // same but warns "Duplicate id-handler configuration" at every serde start, as its default handler is set too
        m.put(SerdeConfig.ID_HANDLER, Legacy4ByteIdHandler.class.getName());
        m.put(SerdeConfig.USE_ID, "contentId");
        m.put(SerdeConfig.CHECK_PERIOD_MS, CACHE_FOREVER_MS);
        return m;
    }
}
