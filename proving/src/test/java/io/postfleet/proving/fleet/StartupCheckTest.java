package io.postfleet.proving.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.postfleet.cli.ConfigException;
import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.TestSectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks on their own, on real files and sockets, with a short wait. */
class StartupCheckTest {

    private final StartupCheck check = new StartupCheck(Duration.ofMillis(600));

    @TempDir
    Path dir;

    @Test
    void pledgedSectorsAndUpgradedOnesAreALotusLayoutAndAnEmptyPathIsOnlyWarned() throws Exception {
        try (CpuHashBackend backend = new CpuHashBackend()) {
            new TestSectors(backend).pledge(dir.resolve("sealed-sectors"), SectorSize.KIB_2, 1000, 1, 0, 1, false,
                    n -> { });
            new TestSectors(backend).pledge(dir.resolve("upgraded-sectors"), SectorSize.KIB_2, 1000, 1, 1, 2, true,
                    n -> { });
        }
        Path empty = Files.createDirectories(dir.resolve("new").resolve("cache"));
        List<String> warnings = check.storage("--storage", List.of(dir.resolve("sealed-sectors"),
                dir.resolve("upgraded-sectors"), empty.getParent()));
        assertEquals(List.of("--storage " + empty.getParent() + ": holds no sector yet (sealed/ and update/ are "
                + "empty)"), warnings);
    }

    @Test
    void aFileOrADirectoryWithoutTheLayoutIsNotAStoragePath() throws Exception {
        Path file = Files.writeString(dir.resolve("manifest.json"), "{}");
        ConfigException notDir = assertThrows(ConfigException.class, () -> check.storage("--storage", List.of(file)));
        assertEquals("--storage " + file + ": is not a directory; give a Lotus storage path, the directory holding "
                + "sealed/ and cache/", notDir.getMessage());
        ConfigException bare = assertThrows(ConfigException.class, () -> check.storage("--storage", List.of(dir)));
        assertEquals("--storage " + dir + ": holds no sealed/ or cache/ directory; give the storage path itself, the "
                + "directory holding them", bare.getMessage());
    }

    @Test
    void aRegistryThatDoesNotListenIsRefusedAfterTheWait() throws Exception {
        int port = unusedPort();
        ConfigException e = assertThrows(ConfigException.class,
                () -> check.registry("--registry (from POSTFLEET_REGISTRY)", "http://127.0.0.1:" + port));
        assertTrue(e.getMessage().startsWith("--registry (from POSTFLEET_REGISTRY) http://127.0.0.1:" + port
                + ": no schema registry answered within 600 ms (Connection refused); check the URL and that the "
                + "registry runs"), e.getMessage());
        ConfigException notUrl = assertThrows(ConfigException.class, () -> check.registry("--registry",
                "127.0.0.1:" + port));
        assertTrue(notUrl.getMessage().startsWith("--registry 127.0.0.1:" + port + ": schema registry URL"),
                notUrl.getMessage());
    }

    @Test
    void aBootstrapThatIsNotHostAndPortIsRefusedAtOnce() {
        ConfigException e = assertThrows(ConfigException.class, () -> check.broker("--bootstrap",
                "127.0.0.1", KafkaClientSettings.none()));
        assertEquals("--bootstrap 127.0.0.1: '127.0.0.1' is not HOST:PORT; give the broker's address, e.g. "
                + "127.0.0.1:9092", e.getMessage());
    }

    /** A port on 127.0.0.1 where nothing listens: bound, then closed. */
    private static int unusedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
