package io.postfleet.proofs.hash;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import io.postfleet.proofs.field.Fr;
import io.postfleet.proofs.poseidon.PoseidonParameters;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The native Poseidon library ({@code libpostfleet_poseidon}), compiled from {@code src/main/native} by the build
 * with the system C compiler and packed in the jar under JNA's platform folder ({@code linux-x86-64/}). Loaded once,
 * through JNA direct mapping; the constants of each arity are generated in Java ({@link PoseidonParameters}) and
 * handed over on first use, so the C code holds arithmetic only.
 *
 * <p>A call hashes a whole batch: crossing into native code is one call per batch, never per hash. The library is
 * thread-safe once an arity is set up; callers split large batches over threads ({@link CpuHashBackend}).
 *
 * <p>The system property {@value #LIBRARY_PROPERTY} names another library file, or {@code off} to act as if none
 * loaded (how tests exercise the Java fallback).
 */
public final class NativePoseidon {

    /** System property: a library file to load instead of the packed one, or {@code off}. */
    public static final String LIBRARY_PROPERTY = "postfleet.native.library";

    private static final String NAME = "postfleet_poseidon";
    private static final int VERSION = 1;
    private static final Loaded LOADED = load();

    private final Set<NativePath> paths;
    /** 1 for each arity whose constants the library holds; read without a lock by every hashing thread. */
    private final AtomicIntegerArray ready = new AtomicIntegerArray(PoseidonParameters.ARITIES.stream()
            .mapToInt(Integer::intValue).max().orElseThrow() + 1);

    private NativePoseidon(Set<NativePath> paths) {
        this.paths = Collections.unmodifiableSet(paths);
    }

    /** The library, or empty when it is not packed for this platform or cannot be loaded ({@link #unavailableReason()}). */
    public static Optional<NativePoseidon> get() {
        return Optional.ofNullable(LOADED.library());
    }

    /** Why {@link #get()} is empty; empty when the library loaded. */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(LOADED.reason());
    }

    /** The paths this CPU can run, slowest first. */
    public Set<NativePath> paths() {
        return paths;
    }

    /** The fastest path this CPU runs. */
    public NativePath best() {
        List<NativePath> all = new ArrayList<>(paths);
        return all.get(all.size() - 1);
    }

    /**
     * Hashes {@code count} groups of {@code arity} elements from {@code in[inOff]} into {@code out[outOff]} on
     * {@code path}. {@code in} and {@code out} must be different arrays.
     *
     * @throws IllegalArgumentException naming the element (with groups numbered from {@code firstGroup}) that is not
     *                                  canonical, or for a path this CPU lacks
     */
    public void hash(NativePath path, int arity, byte[] in, int inOff, int count, byte[] out, int outOff, long firstGroup) {
        if (in == out) {
            throw new IllegalArgumentException("native hashing needs distinct input and output arrays");
        }
        setUp(arity);
        long r = Lib.pf_hash(path.bit(), arity, in, inOff, count, out, outOff);
        if (r == -1) {
            return;
        }
        if (r == -3) {
            throw new IllegalArgumentException("this CPU cannot run the native " + path + " path; it runs " + paths);
        }
        if (r <= -4) {
            long k = -4 - r;
            long group = k / arity;
            int element = (int) (k % arity);
            throw Fr.nonCanonical(in, Math.toIntExact(inOff + k * Fr.BYTES),
                    "element " + element + " of group " + (firstGroup + group));
        }
        throw new IllegalStateException("native Poseidon refused arity " + arity + " (code " + r + ")");
    }

    /**
     * {@code x = x * y} (Montgomery products) {@code n} times on {@code path}, for benchmarks of the multiplication
     * alone. The AVX-512 IFMA path does eight at once (one per lane), so its time per product is a eighth of the call's.
     */
    public void mulChain(NativePath path, byte[] x, byte[] y, long n) {
        if (Lib.pf_mul_chain(path.bit(), x, y, n) != 0) {
            throw new IllegalArgumentException("this CPU cannot run the native " + path + " path; it runs " + paths);
        }
    }

    private void setUp(int arity) {
        if (arity < 0 || arity >= ready.length()) {
            throw new IllegalArgumentException("no Poseidon of arity " + arity + "; arities are "
                    + PoseidonParameters.ARITIES);
        }
        if (ready.get(arity) == 1) {
            return;
        }
        synchronized (this) {
            if (ready.get(arity) == 1) {
                return;
            }
            PoseidonParameters p = PoseidonParameters.forArity(arity);
            byte[] constants = constants(p);
            int r = Lib.pf_init(arity, p.fullRounds(), p.partialRounds(), constants, constants.length);
            if (r != 0) {
                throw new IllegalStateException("native Poseidon refused the constants of arity " + arity + " (code " + r + ")");
            }
            ready.set(arity, 1);
        }
    }

    /** The layout pf_init reads: tag, full-round constants, partial-round constants, MDS, pre-sparse, sparse rows, columns. */
    static byte[] constants(PoseidonParameters p) {
        PoseidonParameters.Sparse s = p.sparse();
        List<BigInteger> all = new ArrayList<>();
        all.add(p.domainTag());
        s.fullRoundConstants().forEach(all::addAll);
        all.addAll(s.partialRoundConstants());
        p.mds().forEach(all::addAll);
        s.preSparseMatrix().forEach(all::addAll);
        s.sparseMatrices().forEach(m -> all.addAll(m.row()));
        s.sparseMatrices().forEach(m -> all.addAll(m.column()));
        byte[] out = new byte[all.size() * Fr.BYTES];
        for (int i = 0; i < all.size(); i++) {
            byte[] b = Fr.fromBigInteger(all.get(i)).toBytes();
            System.arraycopy(b, 0, out, i * Fr.BYTES, Fr.BYTES);
        }
        return out;
    }

    private record Loaded(NativePoseidon library, String reason) {
    }

    private static Loaded load() {
        String override = System.getProperty(LIBRARY_PROPERTY, "").strip();
        if (override.equalsIgnoreCase("off")) {
            return new Loaded(null, "the native library is switched off (-D" + LIBRARY_PROPERTY + "=off)");
        }
        try {
            NativeLibrary lib = NativeLibrary.getInstance(override.isEmpty() ? NAME : override);
            Native.register(Lib.class, lib);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return new Loaded(null, "no native Poseidon library for " + Platform.RESOURCE_PREFIX
                    + " (it is built with the C compiler when the project is built): " + firstLine(e.getMessage()));
        }
        int version = Lib.pf_version();
        if (version != VERSION) {
            return new Loaded(null, "native Poseidon library of interface " + version + ", expected " + VERSION
                    + ": rebuild the project");
        }
        int bits = Lib.pf_paths();
        Set<NativePath> paths = EnumSet.noneOf(NativePath.class);
        for (NativePath p : NativePath.values()) {
            if ((bits & p.bit()) != 0) {
                paths.add(p);
            }
        }
        return new Loaded(new NativePoseidon(paths), null);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "not found";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The library's functions (JNA direct mapping: arrays are passed without per-element conversion). */
    private static final class Lib {
        static native int pf_version();

        static native int pf_paths();

        static native int pf_init(int arity, int rf, int rp, byte[] constants, long length);

        static native long pf_hash(int path, int arity, byte[] in, long inOff, long count, byte[] out, long outOff);

        static native int pf_mul_chain(int path, byte[] x, byte[] y, long n);
    }
}
