package io.postfleet.proofs.cli;

import io.postfleet.proofs.hash.BackendSpec;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.hash.HashBackends;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --gpu auto|cpu|opencl|opencl:N}, mixed into every command that hashes ({@code @Mixin GpuOption gpu;}).
 * The default comes from the environment variable POSTFLEET_GPU, else {@code auto}; a bad value (flag or variable)
 * is refused when the command line is parsed.
 */
public final class GpuOption {

    @Option(names = "--gpu", paramLabel = "SPEC", defaultValue = "${env:POSTFLEET_GPU:-auto}",
            converter = SpecConverter.class,
            description = "Where Poseidon hashing runs: auto (a GPU OpenCL device if there is one, else cpu), cpu, "
                    + "opencl (the best OpenCL device, CPU ones included), opencl:N (device N of `post-tool devices`). "
                    + "Default: the environment variable POSTFLEET_GPU, else auto (now: ${DEFAULT-VALUE}).")
    private BackendSpec spec = new BackendSpec.Auto();

    /** The parsed spec. */
    public BackendSpec spec() {
        return spec;
    }

    /** Opens the chosen backend; the caller closes it. */
    public HashBackend open() {
        return HashBackends.open(spec);
    }

    /** Parses the flag value, naming the allowed values when it is wrong. */
    static final class SpecConverter implements ITypeConverter<BackendSpec> {
        @Override
        public BackendSpec convert(String value) {
            try {
                return BackendSpec.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage() + " (from --gpu or the environment variable "
                        + HashBackends.ENV + ")");
            }
        }
    }
}
