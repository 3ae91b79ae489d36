package io.postfleet.proofs.hash.opencl;

import java.util.Collection;

/** Assembles the OpenCL C program: field defines derived from p, fr.cl, then poseidon.cl once per arity. */
final class KernelSource {

    private KernelSource() {
    }

    /** Field arithmetic plus the parameter accessor; {@code paramSpace} is {@code __constant} or {@code __global}. */
    static String field(String paramSpace) {
        return KernelParams.fieldDefines()
                + "#define PARAM_SPACE " + paramSpace + "\n"
                + DeviceProgram.resource("fr.cl")
                + "\ninline fr fr_param(PARAM_SPACE const ulong *p, uint k) {\n"
                + "    p += (ulong) k * 4;\n"
                + "    return fr_make(p[0], p[1], p[2], p[3]);\n"
                + "}\n"
                + "#define PARAM(k) fr_param(params, (k))\n";
    }

    /** Kernel {@code poseidon_<arity>} for each shape. */
    static String poseidon(Collection<PlainPoseidon> shapes, String paramSpace) {
        StringBuilder sb = new StringBuilder(field(paramSpace));
        String body = DeviceProgram.resource("poseidon.cl");
        for (PlainPoseidon s : shapes) {
            sb.append("\n#define T ").append(s.width())
                    .append("\n#define RF ").append(s.fullRounds())
                    .append("\n#define RP ").append(s.partialRounds())
                    .append("\n#define KERNEL_NAME ").append(kernelName(s.arity())).append('\n')
                    .append(body)
                    .append("\n#undef T\n#undef RF\n#undef RP\n#undef KERNEL_NAME\n");
        }
        return sb.toString();
    }

    static String kernelName(int arity) {
        return "poseidon_" + arity;
    }
}
