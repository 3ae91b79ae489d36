package io.postfleet.bench.chaos;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChaosOptionsTest {

    @Test
    void optionsAreReadStrictlyWithOneLineSayingWhatIsWrong() {
        ChaosRun.Options o = ChaosRun.parse(new String[] {"--deadlines", "4", "--kinds", "miner-kill, sector_slow",
                "--epoch", "300ms"});
        assertEquals(4, o.deadlines());
        assertEquals(72, o.faults());
        assertEquals(Duration.ofMillis(300), o.epoch());
        assertEquals(List.of(ChaosRun.Fault.MINER_KILL, ChaosRun.Fault.SECTOR_SLOW), o.kinds());

        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                () -> ChaosRun.parse(new String[] {"--kinds", "worker_kill,bogus"}));
        assertTrue(kind.getMessage().startsWith("--kinds: 'bogus' is not a fault kind; the kinds are worker_kill, "),
                kind.getMessage());
        assertTrue(kind.getMessage().endsWith(", miner_kill"), kind.getMessage());
        assertEquals("--deadlines must be 1..48 (one proving period)", assertThrows(IllegalArgumentException.class,
                () -> ChaosRun.parse(new String[] {"--deadlines", "49"})).getMessage());
        assertEquals("--faults needs a value", assertThrows(IllegalArgumentException.class,
                () -> ChaosRun.parse(new String[] {"--faults"})).getMessage());
    }
}
