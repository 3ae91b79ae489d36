package io.postfleet.proofs.bench;

import io.postfleet.proofs.field.Fr;
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

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Poseidon hashes per second on one thread through the allocation-free group path, as tree building runs it: a batch
 * of {@link #BATCH} groups from one byte array into another. Setup checks the digest of [0, 1, .., arity-1] against
 * neptune's known answer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(3)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PoseidonBenchmark {

    static final int BATCH = 64;

    /** neptune v11 digests of [0, 1, .., arity-1] (MerkleTree, Standard), limbs least significant first. */
    private static final Map<Integer, long[]> KNOWN = Map.of(
            2, new long[] {0x2e203c369a02e7ffL, 0xa6fba9339d05a69dL, 0x739e0fd902efe161L, 0x396508d75e76a56bL},
            8, new long[] {0x2a9934f56d38a5e6L, 0x4b682e9d9cc4aed9L, 0x1201004211677077L, 0x2394611da3a5de55L},
            11, new long[] {0xcee3bbc32b693163L, 0x09f3dcd8ccb08fc1L, 0x6ca537e232ebe87aL, 0x0c0fc1b2e5227f28L});

    @Param({"2", "8", "11"})
    public int arity;

    private Poseidon poseidon;
    private byte[] in;
    private byte[] out;

    @Setup
    public void setUp() {
        poseidon = Poseidon.forArity(arity);
        byte[] counting = new byte[arity * Fr.BYTES];
        for (int i = 0; i < arity; i++) {
            Fr.fromLong(i).toBytes(counting, i * Fr.BYTES);
        }
        byte[] digest = new byte[Fr.BYTES];
        poseidon.hashGroups(counting, 0, 1, digest, 0);
        long[] k = KNOWN.get(arity);
        byte[] expected = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(k[0]).putLong(k[1]).putLong(k[2]).putLong(k[3]).array();
        if (!Arrays.equals(expected, digest)) {
            throw new IllegalStateException("Poseidon arity " + arity + " digest " + HexFormat.of().formatHex(digest)
                    + " is not neptune's known answer: refusing to benchmark it");
        }
        // a batch of distinct canonical groups: the counting group with its first element varied
        in = new byte[BATCH * arity * Fr.BYTES];
        for (int g = 0; g < BATCH; g++) {
            System.arraycopy(counting, 0, in, g * counting.length, counting.length);
            Fr.fromLong(1000 + g).toBytes(in, g * counting.length);
        }
        out = new byte[BATCH * Fr.BYTES];
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void hash(Blackhole bh) {
        poseidon.hashGroups(in, 0, BATCH, out, 0);
        bh.consume(out);
    }
}
