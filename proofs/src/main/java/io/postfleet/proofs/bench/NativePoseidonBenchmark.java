package io.postfleet.proofs.bench;

import io.postfleet.proofs.field.Fr;
import io.postfleet.proofs.hash.NativePath;
import io.postfleet.proofs.hash.NativePoseidon;
import io.postfleet.proofs.poseidon.Poseidon;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Native Poseidon hashes per second on one thread, per path, one library call per batch of {@link #BATCH} groups
 * (as tree building and segment rebuilding call it). Setup checks the batch against the Java path, which is checked
 * against neptune's known answers by {@link PoseidonBenchmark}; a path this CPU lacks fails setup, naming it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class NativePoseidonBenchmark {

    static final int BATCH = 1024;

    @Param({"portable", "mulx-adx", "avx512-ifma"})
    public String path;

    @Param({"2", "8", "11"})
    public int arity;

    private NativePoseidon library;
    private NativePath nativePath;
    private byte[] in;
    private byte[] out;

    @Setup
    public void setUp() {
        library = NativePoseidon.get().orElseThrow(() -> new IllegalStateException(
                NativePoseidon.unavailableReason().orElse("native library not loaded")));
        nativePath = NativePath.parse(path);
        in = new byte[BATCH * arity * Fr.BYTES];
        for (int i = 0; i < BATCH * arity; i++) {
            Fr.fromLong(1000L * i + 7).toBytes(in, i * Fr.BYTES);
        }
        out = new byte[BATCH * Fr.BYTES];
        byte[] expected = new byte[BATCH * Fr.BYTES];
        Poseidon.forArity(arity).hashGroups(in, 0, BATCH, expected, 0);
        library.hash(nativePath, arity, in, 0, BATCH, out, 0, 0);
        if (!Arrays.equals(expected, out)) {
            throw new IllegalStateException("native " + path + " arity " + arity + " differs from the Java path");
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void hash(Blackhole bh) {
        library.hash(nativePath, arity, in, 0, BATCH, out, 0, 0);
        bh.consume(out);
    }
}
