package io.postfleet.proofs.hash;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimedHashBackendTest {

    final CpuHashBackend cpu = new CpuHashBackend(2);

    @Test
    void countsHashesAndSubtreesAndGivesTheWrappedBackendsDigests() throws Exception {
        TimedHashBackend timed = new TimedHashBackend(cpu);
        assertEquals(new TimedHashBackend.Usage(0, -1, 0, 0), timed.usage());
        Thread.sleep(5);

        byte[] leaves = CpuHashBackendTest.randomElements(new Random(3), 2 * 512);
        byte[] rows = timed.hashLevels(8, leaves, 0, 2 * 512, 3);
        assertArrayEquals(cpu.hashLevels(8, leaves, 0, 2 * 512, 3), rows);
        byte[] out = new byte[4 * 32];
        timed.hashGroups(2, leaves, 0, 4, out, 0);

        TimedHashBackend.Usage u = timed.usage();
        assertEquals(2 * 73 + 4, u.hashes());
        assertEquals(2, u.subtrees(), "two 512-leaf segments rebuilt");
        assertTrue(u.untilFirstCallNanos() >= 5_000_000, "first call " + u.untilFirstCallNanos() + " ns after the reset");
        assertTrue(u.busyNanos() > 0);

        timed.reset();
        assertEquals(new TimedHashBackend.Usage(0, -1, 0, 0), timed.usage());
        assertEquals(cpu.description(), timed.description());
    }
}
