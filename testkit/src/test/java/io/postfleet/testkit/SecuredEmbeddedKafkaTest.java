package io.postfleet.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class SecuredEmbeddedKafkaTest {

    @Test
    void aSaslBrokerLetsAUserDoWhatItsAclsAllowAndRefusesAWrongPassword() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().sasl("admin", "admin-secret")
                .scramUser("alice", "alice-secret").start()) {
            assertTrue(kafka.secured());
            try (Admin admin = kafka.admin()) {
                admin.createTopics(List.of(new NewTopic("allowed", 1, (short) 1),
                        new NewTopic("forbidden", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "allowed",
                        PatternType.LITERAL), new AccessControlEntry("User:alice", "*", AclOperation.WRITE,
                        AclPermissionType.ALLOW)))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> alice = producer(kafka, kafka.clientSettings("alice", "alice-secret"))) {
                assertEquals(0, alice.send(new ProducerRecord<>("allowed", "k", "v")).get(30, TimeUnit.SECONDS)
                        .offset());
                ExecutionException refused = assertThrows(ExecutionException.class,
                        () -> alice.send(new ProducerRecord<>("forbidden", "k", "v")).get(30, TimeUnit.SECONDS));
                assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
            }
            Properties wrong = new Properties();
            wrong.putAll(kafka.clientSettings("alice", "not-her-password"));
            wrong.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (Admin admin = Admin.create(wrong)) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS));
                assertInstanceOf(SaslAuthenticationException.class, e.getCause());
            }
        }
    }

    private static KafkaProducer<String, String> producer(EmbeddedKafka kafka, Map<String, String> login) {
        Properties p = new Properties();
        p.putAll(login);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
