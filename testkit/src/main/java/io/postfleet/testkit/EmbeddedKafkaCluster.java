package io.postfleet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A replicated Kafka cluster in one process: N nodes (node ids 1..N), each a broker and a KRaft controller of the
 * same quorum, listening on 127.0.0.1 only on free ports, with the fleet's group settings of {@link EmbeddedKafka}
 * and production replication: replication factor N (at most 3) for the internal topics and by default, and
 * {@code min.insync.replicas} one less, so a producer with {@code acks=all} keeps writing with one node gone. A node
 * can be stopped (a controlled shutdown, as on SIGTERM) and started again over its data; {@link #close()} stops
 * them all and deletes their folders.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private final Path root;
    private final String clusterId = Uuid.randomUuid().toString();
    private final Map<Integer, Integer> brokerPorts = new TreeMap<>();
    private final Map<Integer, Integer> controllerPorts = new TreeMap<>();
    private final Map<Integer, KafkaRaftServer> running = new TreeMap<>();
    private final int replication;

    private EmbeddedKafkaCluster(Path root, int nodes) {
        this.root = root;
        this.replication = Math.min(3, nodes);
        for (int id = 1; id <= nodes; id++) {
            brokerPorts.put(id, EmbeddedKafka.freePort());
            controllerPorts.put(id, EmbeddedKafka.freePort());
        }
    }

    /** Starts {@code nodes} nodes at once (a quorum forms only when most of them run) and waits until all serve. */
    public static EmbeddedKafkaCluster start(int nodes) {
        if (nodes < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node");
        }
        Path root;
        try {
            root = Files.createTempDirectory("embedded-kafka-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the cluster's folder", e);
        }
        EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(root, nodes);
        try {
            List<CompletableFuture<Void>> starting = new ArrayList<>();
            for (int id : cluster.brokerPorts.keySet()) {
                starting.add(CompletableFuture.runAsync(() -> cluster.startNode(id)));
            }
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            cluster.awaitBrokers(nodes, Duration.ofSeconds(60));
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw new IllegalStateException("the " + nodes + "-node Kafka cluster did not start: " + e, e);
        }
    }

    /** Every node's broker address, comma-separated, as clients take it. */
    public String bootstrapServers() {
        return brokerPorts.values().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** The node ids that run now. */
    public synchronized List<Integer> runningNodes() {
        return List.copyOf(running.keySet());
    }

    /** Stops node {@code id} with a controlled shutdown; its data stays for {@link #restart(int)}. */
    public void stop(int id) {
        KafkaRaftServer server;
        synchronized (this) {
            server = running.remove(id);
        }
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
        }
    }

    /** Starts node {@code id} again over its data. */
    public void restart(int id) {
        startNode(id);
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(p);
    }

    private void startNode(int id) {
        Path dir = root.resolve("node-" + id);
        try {
            Files.createDirectories(dir);
            if (!Files.exists(dir.resolve("meta.properties"))) {
                new Formatter()
                        .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                        .setNodeId(id)
                        .setClusterId(clusterId)
                        .setDirectories(List.of(dir.toString()))
                        .setMetadataLogDirectory(dir.toString())
                        .setControllerListenerName("CONTROLLER")
                        .setReleaseVersion(MetadataVersion.latestProduction())
                        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                        .run();
            }
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(properties(id, dir), false), Time.SYSTEM);
            server.startup();
            synchronized (this) {
                running.put(id, server);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Kafka node " + id + " failed to start: " + e, e);
        }
    }

    private Map<String, String> properties(int id, Path dir) {
        Map<String, String> props = new LinkedHashMap<>();
        String voters = controllerPorts.entrySet().stream().map(e -> e.getKey() + "@127.0.0.1:" + e.getValue())
                .collect(Collectors.joining(","));
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(id));
        props.put("controller.quorum.voters", voters);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts.get(id) + ",CONTROLLER://127.0.0.1:"
                + controllerPorts.get(id));
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts.get(id));
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", dir.toString());
        props.putAll(EmbeddedKafka.FLEET_SETTINGS);
        String rf = Integer.toString(replication);
        String isr = Integer.toString(Math.max(1, replication - 1));
        props.put("offsets.topic.replication.factor", rf);
        props.put("transaction.state.log.replication.factor", rf);
        props.put("transaction.state.log.min.isr", isr);
        props.put("share.coordinator.state.topic.replication.factor", rf);
        props.put("share.coordinator.state.topic.min.isr", isr);
        props.put("default.replication.factor", rf);
        props.put("min.insync.replicas", isr);
        return props;
    }

    private void awaitBrokers(int n, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin()) {
            while (System.nanoTime() < end) {
                try {
                    if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= n) {
                        return;
                    }
                } catch (Exception notYet) {
                    // a node is still joining
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("fewer than " + n + " brokers registered within " + timeout);
    }

    /**
     * Stops every node at once: each broker's controlled shutdown needs a controller quorum, which the nodes keep
     * while they all shut down together (one by one, the last would wait minutes for a quorum that is gone).
     */
    @Override
    public void close() {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (int id : runningNodes()) {
            stopping.add(CompletableFuture.runAsync(() -> stop(id)));
        }
        try {
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            // a node that did not stop in time is left to the JVM's exit
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
