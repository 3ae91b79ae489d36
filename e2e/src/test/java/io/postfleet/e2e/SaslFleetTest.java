package io.postfleet.e2e;

import static io.postfleet.e2e.MinerFleet.await;
import static io.postfleet.e2e.MinerFleet.deadlineSubmitted;
import static io.postfleet.e2e.MinerFleet.events;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.postfleet.messaging.topic.TopicChecker;
import io.postfleet.messaging.topic.Topics;
import io.postfleet.miner.MinerApp;
import io.postfleet.miner.MinerClients;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.events.MinerEvent;
import io.postfleet.proving.fleet.KafkaClientSettings;
import io.postfleet.proving.fleet.StartupCheck;
import io.postfleet.schemas.PostKind;
import io.postfleet.testkit.EmbeddedKafka;
import io.postfleet.worker.cli.WorkerProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet on a broker that asks every client for SCRAM-SHA-512 credentials (SASL_PLAINTEXT on 127.0.0.1) and
 * enforces ACLs, with two users and the ACLs docs/operations.md lists: {@code miner} and {@code worker}. A worker
 * process given a client properties file ({@code --kafka-config}) proves a deadline the miner submits; the worker's
 * user may not publish tasks; a worker with a wrong password is refused at start-up in one line.
 */
class SaslFleetTest {

    private static final String MINER_PASSWORD = "miner-secret";
    private static final String WORKER_PASSWORD = "worker-secret";
    /** JVM start and class loading of a child process, on a busy machine. */
    private static final Duration PROCESS_START = Duration.ofSeconds(15);

    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.builder().sasl("admin", "admin-secret").scramUser("miner", MINER_PASSWORD)
                .scramUser("worker", WORKER_PASSWORD).start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aWorkerLoggedInAsWorkerProvesADeadlineTheMinerLoggedInAsMinerSubmits() throws Exception {
        try (MinerFleet fleet = new MinerFleet("sasl", 2, kafka.bootstrapServers())) {
            grant(fleet);
            KafkaClientSettings miner = KafkaClientSettings.of(kafka.clientSettings("miner", MINER_PASSWORD),
                    "the test");
            // the topics are the miner's to create: a worker may not, so they exist before it starts
            try (MinerClients clients = new MinerClients(kafka.bootstrapServers(), fleet.registry, fleet.prefix,
                    miner)) {
                assertEquals(7, new TopicChecker(clients.admin()).ensure(fleet.topics.specs((short) 1)).stream()
                        .filter(line -> line.startsWith("created ")).count());
            }
            List<String> args = fleet.workerArgs(PostKind.WINDOW, "sasl-worker", "0ms");
            args.addAll(List.of("--kafka-config", clientFile("worker.properties", WORKER_PASSWORD).toString()));
            try (WorkerProcess worker = WorkerProcess.start(args, dir.resolve("worker.log"))) {
                assertTrue(worker.awaitLog("started, consuming", Duration.ofSeconds(90)), worker.output());
                MinerFleet.Settings s = fleet.settings();
                s.kafka = miner;
                s.localProving = false; // only the fleet proves: an accepted proof is the worker's
                MinerApp app = fleet.miner(s);
                FleetDeadlineTest.awaitLiveWorkers(app, 1);
                app.start();
                await(app, Duration.ofSeconds(60), "deadline 0 submitted", deadlineSubmitted(0));
                List<MinerEvent> accepted = events(app, EventType.ACCEPTED).stream()
                        .filter(e -> e.deadline() == 0).toList();
                assertFalse(accepted.isEmpty());
                assertTrue(accepted.stream().allMatch(e -> "sasl-worker".equals(e.worker())),
                        "every partition proven by the worker: " + accepted);
                String out = worker.output();
                assertTrue(out.contains("  kafka sasl.jaas.config   ****  (--kafka-config "), out);
                assertFalse(out.contains(WORKER_PASSWORD), "the password is never printed\n" + out);
                assertFalse(out.contains("AuthorizationException"), "the ACLs let the worker do its work\n" + out);
            }
        }
    }

    @Test
    void theWorkersUserMayNotPublishTasks() throws Exception {
        try (MinerFleet fleet = new MinerFleet("sasl-deny", 1, kafka.bootstrapServers())) {
            grant(fleet);
            try (Admin admin = kafka.admin()) {
                new TopicChecker(admin).ensure(fleet.topics.specs((short) 1));
            }
            Properties p = new Properties();
            p.putAll(kafka.clientSettings("worker", WORKER_PASSWORD));
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                // what the worker may write, it writes: the login and the ACLs are not what refuses the task below
                producer.send(new ProducerRecord<>(fleet.topics.results(), new byte[1])).get(30, TimeUnit.SECONDS);
                ExecutionException refused = assertThrows(ExecutionException.class, () -> producer.send(
                        new ProducerRecord<>(fleet.topics.windowTasks(), new byte[1])).get(30, TimeUnit.SECONDS));
                assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
                assertTrue(refused.getCause().getMessage().contains(fleet.topics.windowTasks()),
                        refused.getCause().getMessage());
            }
        }
    }

    @Test
    void aWorkerWithAWrongPasswordExitsAtStartUpWithOneLineAndNoStackTrace() throws Exception {
        try (MinerFleet fleet = new MinerFleet("sasl-wrong", 1, kafka.bootstrapServers())) {
            Path file = clientFile("wrong.properties", "not-the-password");
            List<String> args = fleet.workerArgs(PostKind.WINDOW, "wrong-password", "0ms");
            args.addAll(List.of("--kafka-config", file.toString()));
            Instant start = Instant.now();
            try (WorkerProcess worker = WorkerProcess.start(args, dir.resolve("wrong.log"))) {
                int exit = worker.awaitExit(PROCESS_START.plus(StartupCheck.WAIT));
                Duration took = Duration.between(start, Instant.now());
                String out = worker.output();
                assertEquals(2, exit, out);
                assertEquals(List.of("--bootstrap " + kafka.bootstrapServers() + ": the broker refused the SASL login "
                        + "of user worker (Authentication failed during authentication due to invalid credentials "
                        + "with SASL mechanism SCRAM-SHA-512); check the user name and password in sasl.jaas.config "
                        + "(--kafka-config " + file + ") and that the user exists on the broker"),
                        worker.linesAfterTheSettings());
                assertFalse(out.contains("\tat ") || out.contains("Exception in thread"), "no stack trace\n" + out);
                assertFalse(out.contains("not-the-password"), out);
                assertTrue(took.compareTo(PROCESS_START) < 0, "refused at once, not after a wait: " + took);
            }
        }
    }

    /** A client properties file logging in as {@code worker}, as an operator would write it. */
    private Path clientFile(String name, String password) throws IOException {
        StringBuilder b = new StringBuilder("# the worker's Kafka login\n");
        for (Map.Entry<String, String> e : kafka.clientSettings("worker", password).entrySet()) {
            b.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        return Files.writeString(dir.resolve(name), b.toString());
    }

    /** The ACLs of docs/operations.md, for this fleet's topic and group names. */
    private static void grant(MinerFleet fleet) throws Exception {
        try (Admin admin = kafka.admin()) {
            admin.createAcls(FleetAcls.of(fleet.topics, fleet.prefix, fleet.group(PostKind.WINDOW),
                    fleet.group(PostKind.WINNING))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** The users' ACLs: what the miner and the workers each need, and nothing more. */
    static final class FleetAcls {

        private FleetAcls() {
        }

        static List<AclBinding> of(Topics t, String prefix, String windowGroup,
                                   String winningGroup) {
            List<AclBinding> acls = new ArrayList<>();
            String miner = "User:miner";
            String worker = "User:worker";
            // both check every topic of the fleet at start-up: its partitions (DESCRIBE, which READ and WRITE
            // include) and its configs
            for (String user : List.of(miner, worker)) {
                allow(acls, user, prefixed(prefix), AclOperation.DESCRIBE_CONFIGS);
            }
            // the miner creates the topics, publishes tasks and settlements, reads results, heartbeats and
            // storage announcements, and reads the worker groups' members and offsets
            allow(acls, miner, prefixed(prefix), AclOperation.CREATE);
            for (String topic : List.of(t.windowTasks(), t.winningTasks(), t.settled())) {
                allow(acls, miner, topic(topic), AclOperation.WRITE);
            }
            for (String topic : List.of(t.results(), t.workers(), t.storage())) {
                allow(acls, miner, topic(topic), AclOperation.READ);
            }
            allow(acls, miner, topic(t.deadLetters()), AclOperation.DESCRIBE);
            for (String group : List.of(windowGroup, winningGroup)) {
                allow(acls, miner, group(group), AclOperation.DESCRIBE);
            }
            // a worker reads tasks in its group and the settled and storage topics, and writes results,
            // heartbeats and dead letters (and storage announcements when it serves its storage: not here)
            for (String topic : List.of(t.windowTasks(), t.winningTasks(), t.settled(), t.storage())) {
                allow(acls, worker, topic(topic), AclOperation.READ);
            }
            for (String topic : List.of(t.results(), t.workers(), t.deadLetters())) {
                allow(acls, worker, topic(topic), AclOperation.WRITE);
            }
            for (String group : List.of(windowGroup, winningGroup)) {
                allow(acls, worker, group(group), AclOperation.READ);
            }
            return acls;
        }

        private static ResourcePattern topic(String name) {
            return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
        }

        private static ResourcePattern prefixed(String prefix) {
            return new ResourcePattern(ResourceType.TOPIC, prefix, PatternType.PREFIXED);
        }

        private static ResourcePattern group(String name) {
            return new ResourcePattern(ResourceType.GROUP, name, PatternType.LITERAL);
        }

        private static void allow(List<AclBinding> acls, String user, ResourcePattern on, AclOperation... ops) {
            for (AclOperation op : ops) {
                acls.add(new AclBinding(on, new AccessControlEntry(user, "*", op, AclPermissionType.ALLOW)));
            }
        }
    }
}
