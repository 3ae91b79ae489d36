package io.postfleet.e2e;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** deploy/prometheus: the alert rules are valid, fire on the series their unit tests give, and the config loads them. */
class AlertRulesTest {

    private final Path deploy = Promtool.repository().resolve("deploy");

    @Test
    void alertRulesPassPromtoolCheckAndTheirUnitTests() throws Exception {
        Promtool promtool = Promtool.require();
        Promtool.Run check = promtool.run(deploy.resolve("prometheus"), null, "check", "rules", "alerts.yml");
        assertEquals(0, check.exit(), check.output());
        Promtool.Run test = promtool.run(deploy.resolve("prometheus"), null, "test", "rules", "alerts_test.yml");
        assertEquals(0, test.exit(), test.output());
        Promtool.Run config = promtool.run(deploy, null, "check", "config", "prometheus.yml");
        assertEquals(0, config.exit(), config.output());
    }
}
