package io.postfleet.proofs.bench;

import io.postfleet.proofs.field.Fr;
import io.postfleet.proofs.hash.NativePath;
import io.postfleet.proofs.hash.NativePoseidon;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.math.BigInteger;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per Fr Montgomery multiplication in the native library: a chain of {@link #CHAIN} dependent products
 * per call (as {@code blst_fr_mul} is usually measured), so the call itself is spread over them. {@code portable}
 * and {@code mulxAdx} run one chain; {@code ifma} runs eight at once in the lanes of a vector and counts eight products per step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class NativeFrBenchmark {

    static final int CHAIN = 10_000;

    private NativePoseidon library;
    private byte[] x;
    private byte[] y;

    @Setup
    public void setUp() {
        library = NativePoseidon.get().orElseThrow(() -> new IllegalStateException(
                NativePoseidon.unavailableReason().orElse("native library not loaded")));
        x = Fr.fromBigInteger(BigInteger.valueOf(3).pow(150).mod(Fr.MODULUS)).toBytes();
        y = Fr.fromBigInteger(BigInteger.valueOf(7).pow(120).mod(Fr.MODULUS)).toBytes();
    }

    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public byte[] portable() {
        library.mulChain(NativePath.PORTABLE, x, y, CHAIN);
        return x;
    }

    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public byte[] mulxAdx() {
        library.mulChain(NativePath.MULX_ADX, x, y, CHAIN);
        return x;
    }

    @Benchmark
    @OperationsPerInvocation(8 * CHAIN)
    public byte[] ifma() {
        library.mulChain(NativePath.AVX512_IFMA, x, y, CHAIN);
        return x;
    }
}
