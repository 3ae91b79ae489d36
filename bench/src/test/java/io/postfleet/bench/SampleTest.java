package io.postfleet.bench;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleTest {

    @Test
    void nearestRankPercentilesOfTwoHundredValues() {
        Sample s = new Sample("x");
        for (int i = 200; i >= 1; i--) {
            s.add(i);
        }
        assertEquals(100, s.percentile(50));
        assertEquals(198, s.percentile(99));
        assertEquals(200, s.percentile(100));
        assertEquals(1, s.min());
        assertEquals(200, s.max());
        assertEquals(100.5, s.mean(), 1e-9);
        assertTrue(s.row().contains("200"), s.row());
    }

    @Test
    void oneValueIsEveryPercentile() {
        Sample s = new Sample("x");
        s.add(7.5);
        assertEquals(7.5, s.percentile(1));
        assertEquals(7.5, s.percentile(99));
        assertThrows(IllegalStateException.class, () -> new Sample("empty").percentile(50));
        assertThrows(IllegalArgumentException.class, () -> s.percentile(0));
    }

    @Test
    void optionsRefuseWhatTheyCannotUse() {
        FleetBench.Options o = FleetBench.Options.parse(new String[] {"--winning-tasks", "5", "--only", "local"});
        assertEquals(5, o.winningTasks());
        assertEquals(Set.of("local"), o.parts());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FleetBench.Options.parse(new String[] {"--only", "winnig"}));
        assertTrue(e.getMessage().contains("winnig"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FleetBench.Options.parse(new String[] {"--warmup", "x"}));
        assertThrows(IllegalArgumentException.class, () -> FleetBench.Options.parse(new String[] {"--kill-rounds"}));
    }
}
