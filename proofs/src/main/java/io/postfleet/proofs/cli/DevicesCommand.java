package io.postfleet.proofs.cli;

import io.postfleet.proofs.hash.opencl.DeviceChoice;
import io.postfleet.proofs.hash.opencl.DeviceInfo;
import io.postfleet.proofs.hash.opencl.OpenClDevices;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code post-tool devices}: the OpenCL devices {@code --gpu opencl:N} can name, and what {@code auto} takes. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the OpenCL devices (the N of --gpu opencl:N) and the one --gpu auto would use.")
final class DevicesCommand implements Callable<Integer> {

    @Spec
    private CommandSpec command;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        List<DeviceInfo> devices = OpenClDevices.list();
        OpenClDevices.unavailableReason().ifPresent(r -> out.println("no OpenCL device: " + r));
        for (DeviceInfo d : devices) {
            out.println(d);
        }
        out.println("--gpu auto -> " + DeviceChoice.auto(devices).map(DeviceInfo::description)
                .orElse("cpu (auto takes GPUs only; name a CPU device with --gpu opencl:N)"));
        out.flush();
        return 0;
    }
}
