package io.postfleet.proofs.cli;

import io.postfleet.proofs.hash.NativePath;
import io.postfleet.proofs.hash.NativePoseidon;
import io.postfleet.proofs.hash.opencl.DeviceChoice;
import io.postfleet.proofs.hash.opencl.DeviceInfo;
import io.postfleet.proofs.hash.opencl.OpenClDevices;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code post-tool devices}: the native CPU library and the paths this CPU runs, the OpenCL devices
 * {@code --hash opencl:N} can name, and what {@code auto} takes.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the native CPU library's paths (native:PATH), the OpenCL devices (the N of --hash "
                + "opencl:N) and the backend --hash auto would use.")
final class DevicesCommand implements Callable<Integer> {

    @Spec
    private CommandSpec command;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        Optional<NativePoseidon> library = NativePoseidon.get();
        if (library.isPresent()) {
            out.println("native: " + library.get().paths().stream()
                    .map(p -> p == library.get().best() ? p.label() + " (runs)" : p.label())
                    .collect(Collectors.joining(", ")) + "; this CPU lacks: " + Arrays.stream(NativePath.values())
                    .filter(p -> !library.get().paths().contains(p)).map(NativePath::label)
                    .collect(Collectors.collectingAndThen(Collectors.joining(", "), s -> s.isEmpty() ? "none" : s)));
        } else {
            out.println("native: not loaded: " + NativePoseidon.unavailableReason().orElse("unknown reason"));
        }
        List<DeviceInfo> devices = OpenClDevices.list();
        OpenClDevices.unavailableReason().ifPresent(r -> out.println("no OpenCL device: " + r));
        for (DeviceInfo d : devices) {
            out.println(d);
        }
        String cpu = library.map(l -> "native " + l.best().label()).orElse("java");
        out.println("--hash auto -> " + DeviceChoice.auto(devices).map(DeviceInfo::description)
                .orElse(cpu + " (auto takes GPU OpenCL devices only; name a CPU device with --hash opencl:N)"));
        out.flush();
        return 0;
    }
}
