package io.postfleet.proving.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.postfleet.cli.ConfigDef;
import io.postfleet.cli.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a process's Kafka client settings come from, which wins, and what is refused or masked. */
class KafkaClientSettingsTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"worker\" password=\"s3cret\";";
    private static final ConfigDef DEFINITION = new ConfigDef(List.of(FleetKeys.KAFKA_CONFIG,
            FleetKeys.KAFKA_PROPERTY));

    @TempDir
    Path dir;

    @Test
    void theFileIsOverriddenByTheEnvironmentWhichIsOverriddenByTheFlag() throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), """
                # as kafka-console-consumer --consumer.config reads it
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-256
                ssl.truststore.location=/etc/kafka/truststore.p12
                ssl.truststore.password=changeit
                """);
        KafkaClientSettings k = resolve(Map.of("--kafka-config", file.toString(),
                        "--kafka-property", "sasl.mechanism=SCRAM-SHA-512"),
                Map.of("POSTFLEET_KAFKA_SASL_MECHANISM", "PLAIN", "POSTFLEET_KAFKA_SASL_JAAS_CONFIG", JAAS,
                        "POSTFLEET_BOOTSTRAP", "not a Kafka setting"));
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "ssl.truststore.location", "/etc/kafka/truststore.p12", "ssl.truststore.password", "changeit",
                "sasl.jaas.config", JAAS), k.values());
        assertEquals("--kafka-config " + file, k.source("security.protocol"));
        assertEquals("POSTFLEET_KAFKA_SASL_JAAS_CONFIG", k.source("sasl.jaas.config"));
        assertEquals("--kafka-property", k.source("sasl.mechanism"));
        assertEquals("worker", k.saslUser());
        String printed = k.describe();
        assertFalse(printed.contains("s3cret") || printed.contains("changeit"), printed);
        assertTrue(printed.contains("  kafka sasl.jaas.config         ****  (POSTFLEET_KAFKA_SASL_JAAS_CONFIG)\n"),
                printed);
        assertTrue(printed.contains("  kafka ssl.truststore.password  ****  (--kafka-config " + file + ")\n"),
                printed);
        assertTrue(printed.contains("  kafka security.protocol        SASL_SSL  (--kafka-config " + file + ")\n"),
                printed);
    }

    @Test
    void variablesAreNamedAsTheKafkaImageNamesItsOwn() {
        assertEquals("POSTFLEET_KAFKA_SASL_JAAS_CONFIG", KafkaClientSettings.variableOf("sasl.jaas.config"));
        assertEquals("sasl.jaas.config", KafkaClientSettings.settingOf("POSTFLEET_KAFKA_SASL_JAAS_CONFIG"));
        assertEquals("ssl.endpoint.identification.algorithm",
                KafkaClientSettings.settingOf("POSTFLEET_KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM"));
        assertEquals("a_b-c.d", KafkaClientSettings.settingOf("POSTFLEET_KAFKA_A__B___C_D"));
        assertEquals("POSTFLEET_KAFKA_A__B___C_D", KafkaClientSettings.variableOf("a_b-c.d"));
        assertNull(KafkaClientSettings.settingOf("POSTFLEET_KAFKA_A____B"));
        assertNull(KafkaClientSettings.settingOf("POSTFLEET_KAFKA__A"));
    }

    @Test
    void aVariableThatNamesNoKafkaClientSettingIsRefusedNotIgnored() {
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(Map.of(),
                Map.of("POSTFLEET_KAFKA_SASL_JASS_CONFIG", JAAS)));
        assertEquals("POSTFLEET_KAFKA_SASL_JASS_CONFIG: sasl.jass.config is not a Kafka client setting; a "
                + "POSTFLEET_KAFKA_* variable carries one Kafka client setting (sasl.jaas.config is "
                + "POSTFLEET_KAFKA_SASL_JAAS_CONFIG): fix its name, unset it, or put the setting in the --kafka-config "
                + "file", e.getMessage());
        assertTrue(e.fromEnvironment());
        assertFalse(e.getMessage().contains("s3cret"));
    }

    @Test
    void aFileThatIsMissingOrDoesNotParseIsRefusedNamingIt() throws Exception {
        Path missing = dir.resolve("nope.properties");
        ConfigException gone = assertThrows(ConfigException.class,
                () -> resolve(Map.of(), Map.of("POSTFLEET_KAFKA_CONFIG", missing.toString())));
        assertEquals("--kafka-config (from POSTFLEET_KAFKA_CONFIG) " + missing + ": does not exist; give a Kafka "
                + "client properties file, as kafka-console-consumer --consumer.config takes", gone.getMessage());
        assertTrue(gone.fromEnvironment());
        Path bad = Files.writeString(dir.resolve("bad.properties"), "security.protocol=SASL_SSL\nx=\\u12\n");
        ConfigException broken = assertThrows(ConfigException.class,
                () -> resolve(Map.of("--kafka-config", bad.toString()), Map.of()));
        assertEquals("--kafka-config " + bad + ": does not parse as a properties file (Malformed \\uxxxx encoding.); "
                + "give a Kafka client properties file, as kafka-console-consumer --consumer.config takes",
                broken.getMessage());
        ConfigException folder = assertThrows(ConfigException.class,
                () -> resolve(Map.of("--kafka-config", dir.toString()), Map.of()));
        assertTrue(folder.getMessage().startsWith("--kafka-config " + dir + ": is not a file;"), folder.getMessage());
    }

    @Test
    void theBootstrapAndClientIdsAreTheProcesssOwn() throws Exception {
        Path file = Files.writeString(dir.resolve("tools.properties"), """
                bootstrap.servers=kafka-1:9092
                security.protocol=SSL
                """);
        KafkaClientSettings k = resolve(Map.of("--kafka-config", file.toString()), Map.of());
        assertEquals(Map.of("security.protocol", "SSL"), k.values());
        assertEquals(List.of("bootstrap.servers from --kafka-config " + file + " is not used: --bootstrap is"),
                k.notes());
    }

    @Test
    void repeatedPropertiesKeepCommasInsideAValueAndTheFlagIsPrintedMasked() {
        ConfigDef.Config c = DEFINITION.resolve(Map.of("--kafka-property",
                "ssl.enabled.protocols=TLSv1.2,TLSv1.3,sasl.jaas.config=" + JAAS), Map.of());
        KafkaClientSettings k = KafkaClientSettings.resolve(c, Map.of());
        assertEquals("TLSv1.2,TLSv1.3", k.value("ssl.enabled.protocols", null));
        assertEquals(JAAS, k.value("sasl.jaas.config", null));
        String printed = c.describe();
        assertTrue(printed.contains("[ssl.enabled.protocols=TLSv1.2,TLSv1.3, sasl.jaas.config=****]"), printed);
        assertFalse(printed.contains("s3cret"), printed);
    }

    private static KafkaClientSettings resolve(Map<String, String> flags, Map<String, String> env) {
        return KafkaClientSettings.resolve(DEFINITION.resolve(flags, env), env);
    }
}
