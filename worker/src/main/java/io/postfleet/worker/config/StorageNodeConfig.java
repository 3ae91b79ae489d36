package io.postfleet.worker.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

import io.postfleet.cli.ConfigDef;
import io.postfleet.cli.ConfigDef.Key;
import io.postfleet.cli.ConfigException;
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
 */
public record StorageNodeConfig(List<Path> storage, ServeSettings serve, String metricsHost, int metricsPort) {

    public static final Key<String> LISTEN = Key.text("--listen", "POSTFLEET_LISTEN", "HOST:PORT", null,
            "address the /remote endpoint listens on, e.g. 0.0.0.0:2346 (port 0: any free port)")
            .must(StorageKeys::isListenAddress, "write HOST:PORT with a host that resolves and a port 0..65535");
    public static final Key<String> NODE_ID = Key.text("--node-id", "POSTFLEET_NODE_ID", "ID", "",
            "this node's name in /remote/stat and in its storage announcement (empty: <host>-<port>, or <host>-<pid> "
                    + "with port 0)");

    /** Every setting of {@code post-worker serve-storage}, in the order usage and the start-up print list them. */
    public static final ConfigDef DEFINITION = new ConfigDef(List.of(WorkerConfig.STORAGE, LISTEN, NODE_ID,
            StorageKeys.PARALLEL_READS, StorageKeys.READ_TIMEOUT, StorageKeys.TOKEN_SECRET, StorageKeys.TOKEN_SECRET_ENV,
            WorkerConfig.METRICS_HOST, WorkerConfig.METRICS_PORT));

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
        return new StorageNodeConfig(c.get(WorkerConfig.STORAGE), StorageKeys.serveSettings(c, listen, nodeId),
                c.get(WorkerConfig.METRICS_HOST), c.get(WorkerConfig.METRICS_PORT));
    }
}
