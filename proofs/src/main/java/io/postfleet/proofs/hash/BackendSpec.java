package io.postfleet.proofs.hash;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where to hash, as an operator writes it: {@code auto} (a GPU OpenCL device if there is one, else the native CPU
 * library, else the Java path), {@code native} (the native library's fastest path for this CPU) or
 * {@code native:PATH} (one path: {@code portable}, {@code mulx-adx}, {@code avx512-ifma}), {@code java} (the Java
 * path), {@code opencl} (the best GPU, else any OpenCL device) or {@code opencl:N} (device N of
 * {@code post-tool devices}). {@code cpu}, the old name of the Java path, is still read ({@link #oldSpellingNote}).
 */
public sealed interface BackendSpec {

    /** The values accepted, for usage texts and error messages. */
    String ALLOWED = "auto, native, native:PATH (PATH = " + NativePath.labels() + "), java, opencl, opencl:N (N = device index)";

    /** A GPU OpenCL device if any, else the native library, else the Java path; never a CPU OpenCL device. */
    record Auto() implements BackendSpec {
        @Override
        public String toString() {
            return "auto";
        }
    }

    /** The native library: one path, or (empty) the fastest this CPU runs. */
    record Native(Optional<NativePath> path) implements BackendSpec {
        @Override
        public String toString() {
            return path.map(p -> "native:" + p.label()).orElse("native");
        }
    }

    /** The Java path. */
    record Java() implements BackendSpec {
        @Override
        public String toString() {
            return "java";
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
            case "native":
                return new Native(Optional.empty());
            case "java":
            case "cpu":
                return new Java();
            case "opencl":
                return new OpenCl(OptionalInt.empty());
            default:
                break;
        }
        if (s.startsWith("native:")) {
            try {
                return new Native(Optional.of(NativePath.parse(s.substring("native:".length()))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown hash backend '" + text + "': use one of " + ALLOWED, e);
            }
        }
        if (s.startsWith("opencl:")) {
            String n = s.substring("opencl:".length());
            if (n.matches("[0-9]{1,4}")) {
                return new OpenCl(OptionalInt.of(Integer.parseInt(n)));
            }
        }
        throw new IllegalArgumentException("unknown hash backend '" + text + "': use one of " + ALLOWED);
    }

    /** The note to print when {@code text} uses the old spelling {@code cpu}; empty otherwise. */
    static Optional<String> oldSpellingNote(String text) {
        if (text != null && text.strip().equalsIgnoreCase("cpu")) {
            return Optional.of("note: hash backend 'cpu' is the old name of 'java' (the Java path); 'native' is the"
                    + " faster CPU path, and 'auto' picks it when no GPU is present");
        }
        return Optional.empty();
    }
}
