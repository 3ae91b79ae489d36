package io.postfleet.proofs.hash;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * Where to hash, as an operator writes it: {@code auto} (a GPU OpenCL device if there is one, else the CPU),
 * {@code cpu}, {@code opencl} (the best GPU, else any OpenCL device) or {@code opencl:N} (device N of
 * {@code post-tool devices}).
 */
public sealed interface BackendSpec {

    /** The values accepted, for usage texts and error messages. */
    String ALLOWED = "auto, cpu, opencl, opencl:N (N = device index)";

    /** A GPU OpenCL device if any, else the CPU; never a CPU OpenCL device. */
    record Auto() implements BackendSpec {
        @Override
        public String toString() {
            return "auto";
        }
    }

    /** The Java CPU path. */
    record Cpu() implements BackendSpec {
        @Override
        public String toString() {
            return "cpu";
        }
    }

    /** An OpenCL device, by index or (empty) the best one; a CPU OpenCL device such as PoCL is allowed. */
    record OpenCl(OptionalInt index) implements BackendSpec {
        @Override
        public String toString() {
            return index.isPresent() ? "opencl:" + index.getAsInt() : "opencl";
        }
    }

    /** Parses a spec; null or blank means {@code auto}. Throws {@link IllegalArgumentException} naming the allowed values. */
    static BackendSpec parse(String text) {
        if (text == null || text.isBlank()) {
            return new Auto();
        }
        String s = text.strip().toLowerCase(Locale.ROOT);
        switch (s) {
            case "auto":
                return new Auto();
            case "cpu":
                return new Cpu();
            case "opencl":
                return new OpenCl(OptionalInt.empty());
            default:
                break;
        }
        if (s.startsWith("opencl:")) {
            String n = s.substring("opencl:".length());
            if (n.matches("[0-9]{1,4}")) {
                return new OpenCl(OptionalInt.of(Integer.parseInt(n)));
            }
        }
        throw new IllegalArgumentException("unknown hash backend '" + text + "': use one of " + ALLOWED);
    }
}
