package io.postfleet.proving.fleet;

import io.postfleet.cli.ConfigDef.Key;
import io.postfleet.proofs.hash.BackendSpec;
import io.postfleet.proofs.hash.NativePath;

/**
 * The settings every process of the fleet takes the same way: where the broker and the registry are, the topic
 * prefix, and the hash backend. Each process lists them in its own configuration definition.
 */
public final class FleetKeys {

    public static final Key<String> BOOTSTRAP = Key.text("--bootstrap", "POSTFLEET_BOOTSTRAP", "HOST:PORT", null,
            "Kafka bootstrap servers, e.g. 127.0.0.1:9092");
    public static final Key<String> REGISTRY = Key.text("--registry", "POSTFLEET_REGISTRY", "URL", null,
            "schema registry base URL, e.g. http://127.0.0.1:8080");
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
