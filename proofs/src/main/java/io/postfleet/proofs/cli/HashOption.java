package io.postfleet.proofs.cli;

import io.postfleet.proofs.hash.BackendSpec;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.hash.HashBackends;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.util.logging.Logger;

/**
 * {@code --hash auto|native[:PATH]|java|opencl[:N]}, mixed into every command that hashes
 * ({@code @Mixin HashOption hash;}). The default comes from the environment variable POSTFLEET_HASH (or its former
 * name POSTFLEET_GPU), else {@code auto}; a bad value (flag or variable) is refused when the command line is parsed.
 * The former flag {@code --gpu} and value {@code cpu} still work, each with a note on stderr.
 */
public final class HashOption {

    private static final Logger LOG = Logger.getLogger(HashOption.class.getName());

    @Option(names = "--hash", paramLabel = "SPEC",
            defaultValue = "${env:POSTFLEET_HASH:-${env:POSTFLEET_GPU:-auto}}",
            converter = SpecConverter.class,
            description = "Where Poseidon hashing runs: auto (a GPU OpenCL device if there is one, else native, else"
                    + " java), native (the native library's fastest path for this CPU), native:PATH (one path: "
                    + "portable, mulx-adx, avx512-ifma), java (the Java path), opencl (the best OpenCL device, CPU ones"
                    + " included), opencl:N (device N of `post-tool devices`). Default: the environment variable "
                    + "POSTFLEET_HASH, else auto (now: ${DEFAULT-VALUE}).")
    private BackendSpec spec = new BackendSpec.Auto();
    /** Set when {@code --gpu} was given: the spec did not come from a variable. */
    private boolean flagGiven;

    /** The former name of {@code --hash}. */
    @Option(names = "--gpu", paramLabel = "SPEC", hidden = true, converter = SpecConverter.class)
    void formerFlag(BackendSpec value) {
        LOG.warning("note: --gpu is now called --hash; the old name still works");
        spec = value;
        flagGiven = true;
    }

    /** The parsed spec. */
    public BackendSpec spec() {
        return spec;
    }

    /** Opens the chosen backend; the caller closes it. */
    public HashBackend open() {
        String old = System.getenv(HashBackends.OLD_ENV);
        if (!flagGiven && System.getenv(HashBackends.ENV) == null && old != null && sameSpec(old)) {
            LOG.warning("note: the environment variable " + HashBackends.OLD_ENV + " is now called "
                    + HashBackends.ENV + "; the old name still works");
        }
        return HashBackends.open(spec);
    }

    private boolean sameSpec(String text) {
        try {
            return BackendSpec.parse(text).equals(spec);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Parses the flag value, naming the allowed values when it is wrong. */
    static final class SpecConverter implements ITypeConverter<BackendSpec> {
        @Override
        public BackendSpec convert(String value) {
            try {
                BackendSpec parsed = BackendSpec.parse(value);
                BackendSpec.oldSpellingNote(value).ifPresent(LOG::warning);
                return parsed;
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage() + " (from --hash or the environment variable "
                        + HashBackends.ENV + ")");
            }
        }
    }
}
