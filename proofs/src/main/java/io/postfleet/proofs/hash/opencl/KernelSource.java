package io.postfleet.proofs.hash.opencl;

import java.util.Collection;
import java.util.Map;

/** Assembles the OpenCL C program: field defines derived from p, fr.cl, then poseidon.cl once per arity. */
final class KernelSource {

    private KernelSource() {
    }

    /** Field arithmetic, and PARAM(k): element k of the kernel's {@code params} table (either address space). */
    static String field() {
        return KernelParams.fieldDefines()
                + DeviceProgram.resource("fr.cl")
                + "\n#define PARAM(k) fr_make(params[(ulong) (k) * 4], params[(ulong) (k) * 4 + 1], "
                + "params[(ulong) (k) * 4 + 2], params[(ulong) (k) * 4 + 3])\n";
    }

    /**
     * Kernel {@code poseidon_<arity>} for each shape; {@code paramSpace} gives each arity's table address space,
     * {@code __constant} or {@code __global}.
     */
    static String poseidon(Collection<PlainPoseidon> shapes, Map<Integer, String> paramSpace) {
        StringBuilder sb = new StringBuilder(field());
        String body = DeviceProgram.resource("poseidon.cl");
        for (PlainPoseidon s : shapes) {
            sb.append("\n#define PARAM_SPACE ").append(paramSpace.get(s.arity()))
                    .append("\n#define T ").append(s.width())
                    .append("\n#define RF ").append(s.fullRounds())
                    .append("\n#define RP ").append(s.partialRounds())
                    .append("\n#define KERNEL_NAME ").append(kernelName(s.arity())).append('\n')
                    .append(body)
                    .append("\n#undef T\n#undef RF\n#undef RP\n#undef KERNEL_NAME\n#undef PARAM_SPACE\n");
        }
        return sb.toString();
    }

    static String kernelName(int arity) {
        return "poseidon_" + arity;
    }
}
