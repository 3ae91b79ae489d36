package io.postfleet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
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
 * A real Kafka broker and KRaft controller in one process (combined mode, node id 1), listening on 127.0.0.1 only
 * on free ports, with its log directory in a fresh temporary folder deleted on {@link #close()}.
 *
 * <p>The broker settings are the ones the worker fleet relies on; the same values are used by the standalone
 * broker ({@code scripts/kafka}), so what tests measure is what the demo runs:
 * <ul>
 *   <li><b>Group protocol.</b> Workers use the consumer group protocol of KIP-848 ({@code group.protocol=consumer}):
 *   the broker owns the session and heartbeat timing and runs the assignor ({@code uniform}, the server-side
 *   default), and a member joining or leaving moves only the partitions that must move, without stopping the
 *   other members.</li>
 *   <li><b>Failure detection.</b> {@code group.consumer.session.timeout.ms=6000} (minimum lowered to 2000 so a group
 *   may go lower) and {@code group.consumer.heartbeat.interval.ms=1000} (minimum 500). A worker killed with
 *   SIGKILL holds its partitions for at most about 6 s; its uncommitted task is then assigned to another member,
 *   which receives it on its next heartbeat (about 1 s). The Kafka defaults (45 s session, 5 s heartbeat) would
 *   leave a partition idle for most of a minute. The classic protocol's {@code group.min.session.timeout.ms} is
 *   lowered to 2000 too, for clients that still use it.</li>
 *   <li><b>Single node.</b> Replication factor 1 and min ISR 1 for the offsets, transaction and share-state topics
 *   ({@code offsets.topic.num.partitions=8} to keep group-coordinator start-up short);
 *   {@code group.initial.rebalance.delay.ms=0}.</li>
 *   <li><b>Record size.</b> {@code message.max.bytes=1048588} (the Kafka default, 1 MiB + 12 bytes of batch
 *   overhead), stated so the chunk size of proofs (900 KiB by default) is checked against a known limit.</li>
 *   <li><b>No auto-creation.</b> {@code auto.create.topics.enable=false}: topics are created with their partition
 *   counts and configs by the topic checker, so a mistyped topic name is an error rather than a new topic.</li>
 * </ul>
 * Any of these can be overridden with {@link Builder#brokerProperty(String, String)}.
 *
 * <p><b>Security.</b> By default the client listener is PLAINTEXT and everyone may do anything. With
 * {@link Builder#sasl(String, String)} it is SASL_PLAINTEXT with SCRAM-SHA-512 (still on 127.0.0.1) and the KRaft
 * ACL authorizer ({@code StandardAuthorizer}) is on, denying whatever no ACL allows: the admin user given there and
 * the broker's own user are super users, and the users of {@link Builder#scramUser(String, String)} may do only what
 * the test's ACLs let them ({@link #clientSettings(String, String)} are their client settings). The SCRAM
 * credentials are written when the storage is formatted, as {@code kafka-storage format --add-scram} does, so they
 * exist before the first client connects. The controller listener stays PLAINTEXT (KRaft controllers cannot check
 * SCRAM credentials, which live in the metadata they serve); the broker reaches it as {@code User:ANONYMOUS}, which
 * is therefore a super user too, and clients are never given its address.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** The SASL mechanism of a secured listener. */
    public static final String SCRAM = "SCRAM-SHA-512";

    /** Broker settings for the fleet, documented on the class. */
    public static final Map<String, String> FLEET_SETTINGS = fleetSettings();

    /** The broker's own SASL user, for its connections to itself. */
    private static final String BROKER_USER = "broker";
    private static final Object SHARED_LOCK = new Object();
    private static EmbeddedKafka shared;

    private final KafkaRaftServer server;
    private final Path logDir;
    private final boolean deleteLogDir;
    private final String bootstrapServers;
    private final int controllerPort;
    /** The admin's client settings on a SASL listener; empty on a PLAINTEXT one. */
    private final Map<String, String> adminSettings;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, Path logDir, boolean deleteLogDir, String bootstrapServers,
                          int controllerPort, Map<String, String> adminSettings) {
        this.server = server;
        this.logDir = logDir;
        this.deleteLogDir = deleteLogDir;
        this.bootstrapServers = bootstrapServers;
        this.controllerPort = controllerPort;
        this.adminSettings = Map.copyOf(adminSettings);
    }

    /** Starts a broker with free ports, a temporary log directory and the fleet settings. */
    public static EmbeddedKafka start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * One broker for the whole JVM, started on first use and stopped when the JVM exits. Tests that share it must
     * use their own topic names or group ids (for example with a per-class suffix).
     */
    public static EmbeddedKafka shared() {
        synchronized (SHARED_LOCK) {
            if (shared == null) {
                EmbeddedKafka kafka = start();
                Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "embedded-kafka-stop"));
                shared = kafka;
            }
            return shared;
        }
    }

    /** {@code 127.0.0.1:PORT} of the client listener (PLAINTEXT, or SASL_PLAINTEXT with {@link Builder#sasl}). */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Whether the client listener asks for SCRAM credentials and ACLs are enforced. */
    public boolean secured() {
        return !adminSettings.isEmpty();
    }

    /**
     * The Kafka client settings that log in as {@code user} on this broker's SASL listener, as a client properties
     * file would hold them: {@code security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config}.
     */
    public Map<String, String> clientSettings(String user, String password) {
        if (!secured()) {
            throw new IllegalStateException("this broker's listener is PLAINTEXT: start it with Builder.sasl(...)");
        }
        return scramLogin(user, password);
    }

    private static Map<String, String> scramLogin(String user, String password) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("security.protocol", "SASL_PLAINTEXT");
        m.put("sasl.mechanism", SCRAM);
        m.put("sasl.jaas.config", jaas(user, password));
        return m;
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path logDir() {
        return logDir;
    }

    /** An admin client on this broker (a super user when the listener is SASL); the caller closes it. */
    public Admin admin() {
        Properties p = new Properties();
        p.putAll(adminSettings);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(p);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (deleteLogDir) {
                deleteTree(logDir);
            }
        }
    }

    private static Map<String, String> fleetSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("group.consumer.session.timeout.ms", "6000");
        m.put("group.consumer.min.session.timeout.ms", "2000");
        m.put("group.consumer.heartbeat.interval.ms", "1000");
        m.put("group.consumer.min.heartbeat.interval.ms", "500");
        m.put("group.min.session.timeout.ms", "2000");
        m.put("group.initial.rebalance.delay.ms", "0");
        m.put("offsets.topic.replication.factor", "1");
        m.put("offsets.topic.num.partitions", "8");
        m.put("transaction.state.log.replication.factor", "1");
        m.put("transaction.state.log.min.isr", "1");
        m.put("transaction.state.log.num.partitions", "4");
        m.put("share.coordinator.state.topic.replication.factor", "1");
        m.put("share.coordinator.state.topic.min.isr", "1");
        m.put("message.max.bytes", "1048588");
        m.put("auto.create.topics.enable", "false");
        m.put("num.partitions", "1");
        m.put("default.replication.factor", "1");
        m.put("min.insync.replicas", "1");
        m.put("num.network.threads", "2");
        m.put("num.io.threads", "2");
        m.put("background.threads", "2");
        m.put("log.cleaner.threads", "1");
        m.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        return Map.copyOf(m);
    }

    /** Ports, log directory and extra broker properties. */
    public static final class Builder {
        private int port;
        private int controllerPort;
        private Path logDir;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private String adminUser;
        private String adminPassword;
        private final Map<String, String> users = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * A SASL_PLAINTEXT listener with SCRAM-SHA-512 and ACLs enforced, {@code user} a super user (the one
         * {@link EmbeddedKafka#admin()} logs in as); see the class comment.
         */
        public Builder sasl(String user, String password) {
            this.adminUser = user;
            this.adminPassword = password;
            return this;
        }

        /** A SCRAM-SHA-512 user of a {@link #sasl} listener, allowed nothing until an ACL says so. */
        public Builder scramUser(String user, String password) {
            users.put(user, password);
            return this;
        }

        /** PLAINTEXT port on 127.0.0.1; 0 (default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Controller port on 127.0.0.1; 0 (default) picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = controllerPort;
            return this;
        }

        /** Keeps the log directory (formatted when empty) instead of a temporary one deleted on close. */
        public Builder logDir(Path logDir) {
            this.logDir = logDir;
            return this;
        }

        public Builder brokerProperty(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public EmbeddedKafka start() {
            boolean temporary = logDir == null;
            Path dir;
            try {
                dir = temporary ? Files.createTempDirectory("embedded-kafka-") : Files.createDirectories(logDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the Kafka log directory " + logDir, e);
            }
            if (adminUser == null && !users.isEmpty()) {
                throw new IllegalStateException("SCRAM users need a SASL listener: call sasl(...) too");
            }
            int p = port == 0 ? freePort() : port;
            int c = controllerPort == 0 ? freePort() : controllerPort;
            boolean secured = adminUser != null;
            String listener = secured ? "SASL_PLAINTEXT" : "PLAINTEXT";
            Map<String, String> props = new LinkedHashMap<>();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.voters", "1@127.0.0.1:" + c);
            props.put("listeners", listener + "://127.0.0.1:" + p + ",CONTROLLER://127.0.0.1:" + c);
            props.put("advertised.listeners", listener + "://127.0.0.1:" + p);
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", listener);
            props.put("listener.security.protocol.map", listener + ":" + listener + ",CONTROLLER:PLAINTEXT");
            props.put("log.dirs", dir.toString());
            props.putAll(FLEET_SETTINGS);
            List<String> scram = new ArrayList<>();
            String brokerPassword = Uuid.randomUuid().toString().replace("-", "");
            if (secured) {
                props.put("sasl.enabled.mechanisms", SCRAM);
                props.put("sasl.mechanism.inter.broker.protocol", SCRAM);
                props.put("listener.name.sasl_plaintext." + SCRAM.toLowerCase(Locale.ROOT)
                        + ".sasl.jaas.config", jaas(BROKER_USER, brokerPassword));
                props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
                props.put("super.users", "User:" + BROKER_USER + ";User:" + adminUser + ";User:ANONYMOUS");
                scram.add(scramArgument(BROKER_USER, brokerPassword));
                scram.add(scramArgument(adminUser, adminPassword));
                users.forEach((u, pw) -> scram.add(scramArgument(u, pw)));
            }
            props.putAll(overrides);
            try {
                if (!Files.exists(dir.resolve("meta.properties"))) {
                    format(dir, scram);
                }
                KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
                server.startup();
                EmbeddedKafka kafka = new EmbeddedKafka(server, dir, temporary, "127.0.0.1:" + p, c,
                        secured ? scramLogin(adminUser, adminPassword) : Map.of());
                kafka.awaitReady(Duration.ofSeconds(60));
                return kafka;
            } catch (RuntimeException e) {
                if (temporary) {
                    deleteTree(dir);
                }
                throw e;
            } catch (Exception e) {
                if (temporary) {
                    deleteTree(dir);
                }
                throw new IllegalStateException("Kafka broker on 127.0.0.1:" + p + " failed to start: " + e, e);
            }
        }

        /** A credential as {@code kafka-storage format --add-scram} takes it. */
        private static String scramArgument(String user, String password) {
            if (!user.matches("[A-Za-z0-9._-]+") || !password.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("SCRAM user names and passwords here are letters, digits, '.', "
                        + "'_' and '-' only: " + user);
            }
            return SCRAM + "=[name=" + user + ",password=" + password + "]";
        }

        private static void format(Path dir, List<String> scram) throws Exception {
            new Formatter()
                    .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setScramArguments(scram)
                    .run();
        }
    }

    private void awaitReady(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        try (Admin admin = admin()) {
            while (System.nanoTime() < end) {
                try {
                    if (!admin.describeCluster().nodes().get(5, java.util.concurrent.TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        close();
        throw new IllegalStateException("Kafka broker " + bootstrapServers + " not ready within " + timeout, last);
    }

    /** A port free on 127.0.0.1 at the time of the call. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** Deletes {@code dir} and all it holds, as far as it can; absent is fine. */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
