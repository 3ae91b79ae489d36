package io.postfleet.proofs.bench;

import io.postfleet.proofs.field.Fr;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.math.BigInteger;
import java.util.concurrent.TimeUnit;

/**
 * The limb kernels Poseidon spends its time in: Montgomery multiplication, squaring, a matrix row times a state
 * ({@code dot}) and the encoding of a digest. Each of them ends in a Montgomery reduction, so together they show what
 * a change to the reduction costs. The arithmetic benchmarks chain their results ({@code x = x * y}) so each depends
 * on the one before: this measures latency, as in the S-box, not independent throughput.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(3)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FrBenchmark {

    /** Width of the Poseidon state for arity 8, the row length of its MDS matrix. */
    static final int ROW = 9;

    private final long[] x = new long[Fr.LIMBS];
    private final long[] y = new long[Fr.LIMBS];
    private final long[] row = new long[ROW * Fr.LIMBS];
    private final long[] state = new long[ROW * Fr.LIMBS];
    private final byte[] encoded = new byte[Fr.BYTES];

    @Setup
    public void setUp() {
        BigInteger a = new BigInteger("1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a7988", 16);
        BigInteger b = Fr.MODULUS.subtract(BigInteger.valueOf(12345));
        Fr.fromBigInteger(a).toLimbs(x, 0);
        Fr.fromBigInteger(b).toLimbs(y, 0);
        // known answer: the limb product must equal BigInteger's, or the figure means nothing
        long[] r = new long[Fr.LIMBS];
        Fr.mul(x, 0, y, 0, r, 0);
        if (!Fr.fromLimbs(r, 0).toBigInteger().equals(a.multiply(b).mod(Fr.MODULUS))) {
            throw new IllegalStateException("Fr.mul disagrees with BigInteger: refusing to benchmark it");
        }
        Fr.square(x, 0, r, 0);
        if (!Fr.fromLimbs(r, 0).toBigInteger().equals(a.multiply(a).mod(Fr.MODULUS))) {
            throw new IllegalStateException("Fr.square disagrees with BigInteger: refusing to benchmark it");
        }
        // the largest values a row can hold (p - 1 everywhere) give the longest carry chains
        BigInteger expected = BigInteger.ZERO;
        for (int j = 0; j < ROW; j++) {
            BigInteger c = j == 0 ? b : Fr.MODULUS.subtract(BigInteger.ONE);
            BigInteger v = j == 0 ? a : Fr.MODULUS.subtract(BigInteger.valueOf(j));
            Fr.fromBigInteger(c).toLimbs(r, 0);
            Fr.toDotCoefficient(r, 0, row, j * Fr.LIMBS);
            Fr.fromBigInteger(v).toLimbs(state, j * Fr.LIMBS);
            expected = expected.add(c.multiply(v));
        }
        Fr.dot(row, 0, state, 0, ROW, r, 0);
        if (!Fr.fromLimbs(r, 0).toBigInteger().equals(expected.mod(Fr.MODULUS))) {
            throw new IllegalStateException("Fr.dot disagrees with BigInteger: refusing to benchmark it");
        }
    }

    /** One multiplication, result fed into the next. */
    @Benchmark
    public long mul() {
        Fr.mul(x, 0, y, 0, x, 0);
        return x[0];
    }

    /** One squaring, result fed into the next. */
    @Benchmark
    public long square() {
        Fr.square(x, 0, x, 0);
        return x[0];
    }

    /** A row of the arity-8 MDS matrix times the state, the result replacing the state's first element. */
    @Benchmark
    public long dot() {
        Fr.dot(row, 0, state, 0, ROW, state, 0);
        return state[0];
    }

    /** The canonical bytes of an element, as every digest is written out (independent calls, not chained). */
    @Benchmark
    public byte encode() {
        Fr.encode(y, 0, encoded, 0);
        return encoded[0];
    }
}
