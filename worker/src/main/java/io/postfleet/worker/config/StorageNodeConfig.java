package io.postfleet.worker.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.postfleet.cli.ConfigDef;
import io.postfleet.cli.ConfigDef.Key;
import io.postfleet.cli.ConfigException;
import io.postfleet.cli.DurationConverter;
import io.postfleet.messaging.topic.Topics;
import io.postfleet.proving.fleet.FleetKeys;
import io.postfleet.proving.fleet.KafkaClientSettings;
import io.postfleet.proving.storage.serve.ServeSettings;
import io.postfleet.proving.storage.serve.StorageKeys;

/**
 * Everything a storage-only node ({@code post-worker serve-storage}) needs: the storage paths it serves, where it
 * listens, its read bounds and token secret, and its metrics. Each setting is defined once ({@link #DEFINITION});
 * those it shares with {@code post-worker run} and the miner are the same definitions.
 *
 * @param storage     the Lotus storage paths served
 * @param serve       the endpoint's settings
 * @param metricsHost address /metrics listens on
 * @param metricsPort the /metrics port, 0 = off
 * @param kafka       the Kafka client settings (security) of the announcing producer
 */
public record StorageNodeConfig(List<Path> storage, ServeSettings serve, String metricsHost, int metricsPort,
                                String bootstrap, String registry, Topics topics, String publicUrl,
                                Duration announceInterval, KafkaClientSettings kafka) {

    public static final Key<String> ANNOUNCE_BOOTSTRAP = Key.text("--bootstrap", "POSTFLEET_BOOTSTRAP", "HOST:PORT", "",
            "Kafka bootstrap servers to announce this node's sectors on, so workers find it (empty: not announced; "
                    + "workers then reach it only with --remote-storage)");
    public static final Key<String> ANNOUNCE_REGISTRY = Key.text("--registry", "POSTFLEET_REGISTRY", "URL", "",
            "schema registry of that broker's fleet (needed with --bootstrap)");
    public static final Key<String> PUBLIC_URL = Key.text("--public-url", "POSTFLEET_PUBLIC_URL", "URL", "",
            "the base URL workers reach this node at, announced (empty: the --listen address; give it when listening on"
                    + " 0.0.0.0)");
    public static final Key<Duration> ANNOUNCE_INTERVAL = Key.of("--announce-interval", null, "DURATION", "30s",
            "how often the announcement is repeated when nothing changed (readers drop a node after 3 missed)",
            DurationConverter::parse).must(d -> d.compareTo(Duration.ofMillis(100)) >= 0, "at least 100ms");

    public static final Key<String> LISTEN = Key.text("--listen", "POSTFLEET_LISTEN", "HOST:PORT", null,
            "address the /remote endpoint listens on, e.g. 0.0.0.0:2346 (port 0: any free port)")
            .must(StorageKeys::isListenAddress, "write HOST:PORT with a host that resolves and a port 0..65535");
    public static final Key<String> NODE_ID = Key.text("--node-id", "POSTFLEET_NODE_ID", "ID", "",
            "this node's name in /remote/stat and in its storage announcement (empty: <host>-<port>, or <host>-<pid> "
                    + "with port 0)");

    /** Every setting of {@code post-worker serve-storage}, in the order usage and the start-up print list them. */
    public static final ConfigDef DEFINITION = new ConfigDef(List.of(WorkerConfig.STORAGE, LISTEN, NODE_ID,
            StorageKeys.PARALLEL_READS, StorageKeys.READ_TIMEOUT, StorageKeys.TOKEN_SECRET, StorageKeys.TOKEN_SECRET_ENV,
            WorkerConfig.METRICS_HOST, WorkerConfig.METRICS_PORT, ANNOUNCE_BOOTSTRAP, ANNOUNCE_REGISTRY,
            FleetKeys.KAFKA_CONFIG, FleetKeys.KAFKA_PROPERTY, FleetKeys.TOPIC_PREFIX, PUBLIC_URL, ANNOUNCE_INTERVAL));

    public StorageNodeConfig {
        storage = List.copyOf(storage);
    }

    /**
     * The configuration resolved values describe.
     *
     * @throws ConfigException when no storage path is given, or the secret is given twice
     */
    public static StorageNodeConfig from(ConfigDef.Config c) {
        if (c.get(WorkerConfig.STORAGE).isEmpty()) {
            throw new ConfigException(WorkerConfig.STORAGE.flag() + " is required: give each Lotus storage path this "
                    + "node serves (or set " + WorkerConfig.STORAGE.env() + ")");
        }
        InetSocketAddress listen = ServeSettings.parseListen(c.get(LISTEN));
        String nodeId = !c.get(NODE_ID).isEmpty() ? c.get(NODE_ID) : WorkerConfig.hostName() + "-"
                + (listen.getPort() != 0 ? listen.getPort() : ProcessHandle.current().pid());
        if (!c.get(ANNOUNCE_BOOTSTRAP).isEmpty() && c.get(ANNOUNCE_REGISTRY).isEmpty()) {
            throw new ConfigException(ANNOUNCE_REGISTRY.flag() + " is required with " + ANNOUNCE_BOOTSTRAP.flag()
                    + ": announcements are Avro records (or set " + ANNOUNCE_REGISTRY.env() + ")");
        }
        return new StorageNodeConfig(c.get(WorkerConfig.STORAGE), StorageKeys.serveSettings(c, listen, nodeId),
                c.get(WorkerConfig.METRICS_HOST), c.get(WorkerConfig.METRICS_PORT), c.get(ANNOUNCE_BOOTSTRAP),
                c.get(ANNOUNCE_REGISTRY), Topics.defaults().withPrefix(c.get(FleetKeys.TOPIC_PREFIX)),
                c.get(PUBLIC_URL), c.get(ANNOUNCE_INTERVAL), KafkaClientSettings.resolve(c, System.getenv()));
    }
}
