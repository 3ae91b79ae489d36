package io.postfleet.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;

import io.postfleet.messaging.serde.Compatibility;
import io.postfleet.messaging.serde.RegistryRules;
import org.junit.jupiter.api.Test;

class SchemaRegistryProcessTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theSharedRegistryReportsItsVersionOnLoopbackWithTheBackwardRule() throws Exception {
        SchemaRegistryProcess registry = SchemaRegistryProcess.shared();
        assertSame(registry, SchemaRegistryProcess.shared(), "one registry per JVM");
        assertTrue(registry.url().startsWith("http://127.0.0.1:"), registry.url());

        HttpResponse<String> info = get(registry.url() + "/apis/registry/v2/system/info");
        assertEquals(200, info.statusCode());
        assertTrue(info.body().contains("\"version\":\"2.4.2.Final\""), info.body());
        assertEquals(SchemaRegistryProcess.VERSION, registry.version());

        // the Confluent-compatible API the wire format's ids resolve through is served too
        assertEquals(200, get(registry.url() + "/apis/ccompat/v7/subjects").statusCode());

        String log = Files.readString(registry.log());
        assertTrue(log.contains("Listening on: http://127.0.0.1:" + registry.port()), "bound to loopback only:\n" + log);
        assertTrue(log.contains("JDBC URL: jdbc:h2:file:" + registry.dataDir().resolve("registry")),
                "an H2 database file in the data directory:\n" + log);

        assertEquals(Optional.of(Compatibility.BACKWARD), new RegistryRules(registry.url()).globalCompatibility());
    }

    @Test
    void closeStopsTheProcessAndItsPort() throws Exception {
        SchemaRegistryProcess registry = SchemaRegistryProcess.start();
        try {
            assertNotEquals(SchemaRegistryProcess.shared().port(), registry.port());
            assertEquals(200, get(registry.url() + "/apis/registry/v2/system/info").statusCode());
            System.out.println("registry started in " + registry.startupTime().toMillis() + " ms");
        } finally {
            registry.close();
        }
        assertFalse(registry.isAlive());
        assertThrows(ConnectException.class, () -> get(registry.url() + "/apis/registry/v2/system/info"));
        registry.close(); // twice is harmless
    }

    @Test
    void aRegistryThatCannotStartFailsWithItsLogTail() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> SchemaRegistryProcess.builder().port(taken.getLocalPort()).start());
            assertTrue(e.getMessage().contains("exited with status"), e.getMessage());
            assertTrue(e.getMessage().contains("Last lines of"), e.getMessage());
            assertTrue(e.getMessage().contains(String.valueOf(taken.getLocalPort())), "the log tail names the port: "
                    + e.getMessage());
        }
    }

    @Test
    void aMissingBuildIsNamedWithWhatToRun() {
        String before = System.getProperty(SchemaRegistryProcess.HOME_PROPERTY);
        System.setProperty(SchemaRegistryProcess.HOME_PROPERTY, "target/no-such-registry");
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, SchemaRegistryProcess::locate);
            assertTrue(e.getMessage().contains("no quarkus-run.jar"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(SchemaRegistryProcess.HOME_PROPERTY);
            } else {
                System.setProperty(SchemaRegistryProcess.HOME_PROPERTY, before);
            }
        }
    }
}
