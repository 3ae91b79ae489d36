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
 * Montgomery multiplication on limbs, the unit of all Poseidon work. The benchmark chains products ({@code x = x * y})
 * so each depends on the one before: this measures latency, as in the S-box, not independent throughput.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(3)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FrBenchmark {

    private final long[] x = new long[Fr.LIMBS];
    private final long[] y = new long[Fr.LIMBS];

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
    }

    /** One multiplication, result fed into the next. */
    @Benchmark
    public long mul() {
        Fr.mul(x, 0, y, 0, x, 0);
        return x[0];
    }
}
