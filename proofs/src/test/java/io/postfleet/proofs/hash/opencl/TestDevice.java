package io.postfleet.proofs.hash.opencl;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.OptionalInt;
import org.junit.jupiter.api.Assumptions;

/**
 * The OpenCL device tests run on: the first device of any kind (PoCL's CPU device on a build machine). With no
 * OpenCL platform the tests are skipped, unless {@value #REQUIRE} is {@code true} as a system property or
 * environment variable, which turns the absence into a failure (CI machines that must prove the OpenCL path).
 */
final class TestDevice {

    static final String REQUIRE = "POSTFLEET_REQUIRE_OPENCL";

    private TestDevice() {
    }

    static OpenClDevice require() {
        OpenClDevices.Discovery d = OpenClDevices.discover();
        if (d.devices().isEmpty()) {
            String why = d.unavailable().orElse("no OpenCL device");
            boolean required = Boolean.parseBoolean(System.getProperty(REQUIRE, System.getenv().getOrDefault(REQUIRE, "false")));
            if (required) {
                fail(REQUIRE + "=true but " + why);
            }
            Assumptions.abort("skipped, " + why + " (set " + REQUIRE + "=true to fail instead)");
        }
        DeviceInfo chosen = DeviceChoice.explicit(d.infos(), OptionalInt.empty());
        return d.devices().get(chosen.index());
    }
}
