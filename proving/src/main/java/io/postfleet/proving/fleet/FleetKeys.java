package io.postfleet.proving.fleet;

import java.util.List;

import io.postfleet.cli.ConfigDef.Key;
import io.postfleet.proofs.hash.BackendSpec;
import io.postfleet.proofs.hash.NativePath;

/**
 * The settings every process of the fleet takes the same way: where the broker and the registry are, the Kafka
 * client settings (security), the topic prefix, and the hash backend. Each process lists them in its own
 * configuration definition.
 */
public final class FleetKeys {

    public static final Key<String> BOOTSTRAP = Key.text("--bootstrap", "POSTFLEET_BOOTSTRAP", "HOST:PORT", null,
            "Kafka bootstrap servers, e.g. 127.0.0.1:9092");
    public static final Key<String> REGISTRY = Key.text("--registry", "POSTFLEET_REGISTRY", "URL", null,
            "schema registry base URL, e.g. http://127.0.0.1:8080");
    public static final Key<String> KAFKA_CONFIG = Key.text("--kafka-config", "POSTFLEET_KAFKA_CONFIG", "FILE", "",
            "a Kafka client properties file for every Kafka client of this process (security.protocol, sasl.*, "
                    + "ssl.*), as kafka-console-consumer --consumer.config takes; " + KafkaClientSettings.ENV_PREFIX
                    + "<NAME> variables (sasl.jaas.config: " + KafkaClientSettings.variableOf("sasl.jaas.config")
                    + ") override it, --kafka-property overrides both (empty: none)");
    public static final Key<List<String>> KAFKA_PROPERTY = new Key<List<String>>("--kafka-property", null,
            "KEY=VALUE", "", "a Kafka client setting for every Kafka client of this process, over --kafka-config and "
            + "the " + KafkaClientSettings.ENV_PREFIX + "* variables, e.g. security.protocol=SSL", true, false,
            KafkaClientSettings::properties, l -> true, null, null, null, null)
            .must(l -> l.stream().allMatch(t -> t.indexOf('=') > 0), "write KEY=VALUE")
            .maskedAs(l -> l.stream().map(KafkaClientSettings::shownProperty).toList().toString());
    public static final Key<String> TOPIC_PREFIX = Key.text("--topic-prefix", "POSTFLEET_TOPIC_PREFIX", "PREFIX", "",
            "prefix of every topic name (empty: post.window.tasks, post.winning.tasks, post.results, ...); the "
                    + "miner and its workers must use the same").must(p -> p.matches("[a-zA-Z0-9._-]*"),
            "letters, digits, '.', '_' and '-' only");
    public static final Key<String> HASH = Key.text("--hash", "POSTFLEET_HASH", "SPEC", "auto",
            "hash backend: auto (a GPU when one exists, else the native CPU library, else the Java path), native, "
                    + "native:PATH (" + NativePath.labels() + "), java, opencl or opencl:N")
            .must(FleetKeys::isBackendSpec, "use one of " + BackendSpec.ALLOWED)
            .formerly("--gpu", "POSTFLEET_GPU");

    private FleetKeys() {
    }

    private static boolean isBackendSpec(String text) {
        try {
            BackendSpec.parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
