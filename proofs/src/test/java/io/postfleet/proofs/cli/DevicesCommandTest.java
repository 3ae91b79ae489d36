package io.postfleet.proofs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postfleet.proofs.hash.opencl.DeviceChoice;
import io.postfleet.proofs.hash.opencl.DeviceInfo;
import io.postfleet.proofs.hash.opencl.OpenClDevices;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import io.postfleet.proofs.hash.NativePath;
import io.postfleet.proofs.hash.NativePoseidon;
import picocli.CommandLine;

class DevicesCommandTest {

    @Test
    void listsEveryDeviceWithItsSpecAndWhatAutoTakes() {
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new PostTool());
        cmd.setOut(new PrintWriter(out));
        assertEquals(0, cmd.execute("devices"));
        for (DeviceInfo d : OpenClDevices.list()) {
            assertTrue(out.toString().contains(d.description()), out.toString());
        }
        String cpu = NativePoseidon.get().map(l -> "native " + l.best().label()).orElse("java");
        String auto = DeviceChoice.auto(OpenClDevices.list()).map(DeviceInfo::description).orElse(cpu);
        assertTrue(out.toString().contains("--hash auto -> " + auto), out.toString());
        String nativeLine = NativePoseidon.get().map(l -> "native: " + NativePath.PORTABLE.label()).orElse("native: not loaded");
        assertTrue(out.toString().startsWith(nativeLine), out.toString());
    }
}
