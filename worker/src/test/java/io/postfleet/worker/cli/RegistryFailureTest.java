package io.postfleet.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.postfleet.testkit.EmbeddedKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that answers its system info but fails every registration (its storage is down, say): the worker says
 * so once, with the registry's URL and what it answered, instead of a stack trace for every attempt of every
 * heartbeat.
 */
class RegistryFailureTest {

    @TempDir
    Path dir;

    @Test
    void aRegistryThatFailsEveryRegistrationIsReportedOnceWithItsUrlAndCause() throws Exception {
        // each heartbeat tries 8 times before it gives up: three heartbeats' worth
        CountDownLatch registrations = new CountDownLatch(3 * 8);
        HttpServer registry = HttpServer.create(new InetSocketAddress("127.0.0.1", EmbeddedKafka.freePort()), 0);
        registry.createContext("/apis/registry/v2/system/info", exchange -> answer(exchange, 200,
                "{\"name\":\"apicurio-registry\",\"version\":\"2.4.2.Final\"}"));
        registry.createContext("/", exchange -> {
            registrations.countDown();
            answer(exchange, 500, "{\"error_code\":500,\"message\":\"storage unavailable\",\"name\":\"StorageException\"}");
        });
        registry.start();
        String url = "http://127.0.0.1:" + registry.getAddress().getPort();
        Path storage = dir.resolve("storage");
        Files.createDirectories(storage.resolve("sealed"));
        Files.createDirectories(storage.resolve("cache"));
        List<String> args = List.of("run", "--winningpost", "--bootstrap", EmbeddedKafka.shared().bootstrapServers(),
                "--registry", url, "--storage", storage.toString(), "--hash", "java", "--heartbeat-interval", "200ms",
                "--topic-prefix", "registry-failure.", "--worker-id", "registry-failure-1");
        try (WorkerProcess w = WorkerProcess.start(args, dir.resolve("worker.log"))) {
            assertTrue(w.awaitLog("started, consuming", Duration.ofSeconds(60)), w.output());
            assertTrue(registrations.await(60, TimeUnit.SECONDS), registrations.getCount()
                    + " registrations still awaited\n" + w.output());
            w.terminate(Duration.ofSeconds(10));
            String out = w.output();
            List<String> said = out.lines().filter(l -> l.contains("heartbeat of registry-failure-1 not sent"))
                    .toList();
            assertEquals(1, said.size(), out);
            assertTrue(said.get(0).contains("could not be registered at " + url + "/apis/registry/v2: HTTP 500 "
                    + "storage unavailable"), said.get(0));
            assertFalse(out.contains("\tat "), "no stack trace\n" + out);
        } finally {
            registry.stop(0);
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws java.io.IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
