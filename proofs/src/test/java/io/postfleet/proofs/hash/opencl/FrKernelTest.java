package io.postfleet.proofs.hash.opencl;

import static org.jocl.CL.CL_MEM_COPY_HOST_PTR;
import static org.jocl.CL.CL_MEM_READ_ONLY;
import static org.jocl.CL.CL_MEM_WRITE_ONLY;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clCreateCommandQueue;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clReleaseCommandQueue;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clReleaseMemObject;
import static org.jocl.CL.clSetKernelArg;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.junit.jupiter.api.Test;

class FrKernelTest {

    private static final BigInteger P = KernelParams.P;

    @Test
    void kernelFieldArithmeticMatchesBigIntegerModP() {
        OpenClDevice device = TestDevice.require();
        List<BigInteger> as = new ArrayList<>();
        List<BigInteger> bs = new ArrayList<>();
        BigInteger[] edges = {BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO, P.subtract(BigInteger.ONE),
                P.subtract(BigInteger.TWO), BigInteger.ONE.shiftLeft(64), BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(254), P.shiftRight(1), KernelParams.R};
        for (BigInteger a : edges) {
            for (BigInteger b : edges) {
                as.add(a);
                bs.add(b);
            }
        }
        Random random = new Random(42);
        for (int i = 0; i < 1000; i++) {
            as.add(new BigInteger(255, random).mod(P));
            bs.add(new BigInteger(255, random).mod(P));
        }
        int n = as.size();
        long[] a = limbs(as);
        long[] b = limbs(bs);
        long[] out = new long[n * 16];

        DeviceProgram program = DeviceProgram.of(device,
                KernelSource.field() + DeviceProgram.resource("/io/postfleet/proofs/hash/opencl/fr_test.cl"));
        cl_command_queue queue = clCreateCommandQueue(program.context, device.device(), 0, null);
        cl_kernel kernel = clCreateKernel(program.program, "fr_ops", null);
        cl_mem ma = clCreateBuffer(program.context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, a.length * 8L, Pointer.to(a), null);
        cl_mem mb = clCreateBuffer(program.context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, b.length * 8L, Pointer.to(b), null);
        cl_mem mo = clCreateBuffer(program.context, CL_MEM_WRITE_ONLY, out.length * 8L, null, null);
        try {
            clSetKernelArg(kernel, 0, Sizeof.cl_mem, Pointer.to(ma));
            clSetKernelArg(kernel, 1, Sizeof.cl_mem, Pointer.to(mb));
            clSetKernelArg(kernel, 2, Sizeof.cl_mem, Pointer.to(mo));
            clSetKernelArg(kernel, 3, Sizeof.cl_uint, Pointer.to(new int[] {n}));
            clEnqueueNDRangeKernel(queue, kernel, 1, null, new long[] {n}, null, 0, null, null);
            clEnqueueReadBuffer(queue, mo, CL_TRUE, 0, out.length * 8L, Pointer.to(out), 0, null, null);
        } finally {
            clReleaseMemObject(ma);
            clReleaseMemObject(mb);
            clReleaseMemObject(mo);
            clReleaseKernel(kernel);
            clReleaseCommandQueue(queue);
        }
        for (int i = 0; i < n; i++) {
            BigInteger x = as.get(i);
            BigInteger y = bs.get(i);
            String what = " for a=" + x.toString(16) + " b=" + y.toString(16);
            assertEquals(x.multiply(y).mod(P), value(out, i * 16), "a*b" + what);
            assertEquals(x.add(y).mod(P), value(out, i * 16 + 4), "a+b" + what);
            assertEquals(x.subtract(y).mod(P), value(out, i * 16 + 8), "a-b" + what);
            assertEquals(x.modPow(BigInteger.valueOf(5), P), value(out, i * 16 + 12), "a^5" + what);
        }
    }

    private static long[] limbs(List<BigInteger> values) {
        long[] out = new long[values.size() * 4];
        for (int i = 0; i < values.size(); i++) {
            for (int l = 0; l < 4; l++) {
                out[i * 4 + l] = values.get(i).shiftRight(64 * l).longValue();
            }
        }
        return out;
    }

    private static BigInteger value(long[] limbs, int at) {
        BigInteger v = BigInteger.ZERO;
        for (int l = 3; l >= 0; l--) {
            v = v.shiftLeft(64).or(BigInteger.valueOf(limbs[at + l]).and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)));
        }
        return v;
    }
}
