package io.postfleet.proofs.hash.opencl;

import static org.jocl.CL.CL_DEVICE_MAX_CONSTANT_BUFFER_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_KERNEL_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_MEM_COPY_HOST_PTR;
import static org.jocl.CL.CL_MEM_READ_ONLY;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clCreateCommandQueue;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clGetDeviceInfo;
import static org.jocl.CL.clGetKernelWorkGroupInfo;
import static org.jocl.CL.clReleaseCommandQueue;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clReleaseMemObject;
import static org.jocl.CL.clSetKernelArg;

import io.postfleet.proofs.field.Fr;
import io.postfleet.proofs.hash.HashBackend;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * Poseidon on an OpenCL device: one work-item per group, whole tree levels kept on the device.
 *
 * <p>Failure policy: when the kernels do not build, or a launch or transfer fails (device lost, out of resources),
 * the backend logs a warning and does that batch and all later ones on the CPU backend it was given, so a caller
 * never gets a wrong or missing result. With {@code strict} (tests; system property {@value #STRICT_PROPERTY}) it
 * throws {@link OpenClFailure} instead. {@link #kernelLaunches()} counts successful launches, so a test can tell the
 * device really did the work.
 */
public final class OpenClHashBackend implements HashBackend {

    /** System property: {@code true} makes OpenCL failures throw instead of falling back to the CPU. */
    public static final String STRICT_PROPERTY = "postfleet.opencl.strict";

    private static final Logger LOG = Logger.getLogger(OpenClHashBackend.class.getName());
    private static final int DEFAULT_WORK_GROUP = 64;
    /** Largest host<->device transfer per launch, to bound device memory for very large batches. */
    private static final long MAX_BATCH_BYTES = 1L << 30;
    private static final AtomicLong ALL_LAUNCHES = new AtomicLong();

    /**
     * Test-only knobs: {@code workGroupSize} 0 means the device's choice, {@code extraSource} is appended to the
     * program, {@code globalTables} puts every table in __global memory as on devices with a small constant buffer.
     */
    record Options(boolean strict, int workGroupSize, String extraSource, boolean globalTables) {
        static Options defaults(boolean strict) {
            return new Options(strict, 0, "", false);
        }
    }

    private final DeviceInfo info;
    private final HashBackend cpu;
    private final boolean strict;
    private final AtomicLong launches = new AtomicLong();
    private final Map<Integer, ArityKernel> kernels = new ConcurrentHashMap<>();
    private final long maxAlloc;
    private cl_context context;
    private cl_command_queue queue;
    private cl_mem inBuffer;
    private cl_mem outBuffer;
    private long inCapacity;
    private long outCapacity;
    private volatile String fallbackReason;

    private record ArityKernel(int arity, cl_kernel kernel, cl_mem params, int workGroupSize) {
    }

    /**
     * Opens device {@code device} (from {@link OpenClDevices#list()}) with kernels for every Poseidon arity the
     * poseidon package defines. OpenCL problems fall back to {@code cpu} with a warning unless {@code strict}.
     */
    public static OpenClHashBackend open(DeviceInfo device, HashBackend cpu, boolean strict) {
        OpenClDevice d = OpenClDevices.discover().devices().stream()
                .filter(x -> x.info().equals(device)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no OpenCL device " + device.description()));
        return new OpenClHashBackend(d, FilecoinPoseidon.shapes(), cpu, Options.defaults(strict));
    }

    /**
     * Opens the device and builds (or reuses) the kernels for the given Poseidon instances. Never throws for an
     * OpenCL problem unless strict: it falls back to {@code cpu} with a warning.
     */
    static OpenClHashBackend open(OpenClDevice device, Collection<PlainPoseidon> shapes, HashBackend cpu, Options options) {
        return new OpenClHashBackend(device, shapes, cpu, options);
    }

    private OpenClHashBackend(OpenClDevice device, Collection<PlainPoseidon> shapes, HashBackend cpu, Options options) {
        this.info = device.info();
        this.cpu = cpu;
        this.strict = options.strict();
        long alloc = 0;
        try {
            long[] value = new long[1];
            clGetDeviceInfo(device.device(), CL_DEVICE_MAX_MEM_ALLOC_SIZE, Sizeof.cl_ulong, Pointer.to(value), null);
            alloc = value[0];
            clGetDeviceInfo(device.device(), CL_DEVICE_MAX_CONSTANT_BUFFER_SIZE, Sizeof.cl_ulong, Pointer.to(value), null);
            long constantBytes = value[0];
            List<PlainPoseidon> sorted = new ArrayList<>(shapes);
            sorted.sort(Comparator.comparingInt(PlainPoseidon::arity));
            Map<Integer, long[]> tables = new LinkedHashMap<>();
            Map<Integer, String> spaces = new LinkedHashMap<>();
            for (PlainPoseidon s : sorted) {
                long[] table = KernelParams.of(s);
                tables.put(s.arity(), table);
                // __constant is the fast path for a table every work-item reads at the same index; __global when
                // it does not fit the device's constant buffer (arity 16 needs 87 KB, many GPUs offer 64 KB)
                spaces.put(s.arity(), table.length * 8L <= constantBytes && !options.globalTables() ? "__constant" : "__global");
            }
            DeviceProgram program = DeviceProgram.of(device, KernelSource.poseidon(sorted, spaces) + options.extraSource());
            context = program.context;
            queue = clCreateCommandQueue(program.context, device.device(), 0, null);
            for (Map.Entry<Integer, long[]> e : tables.entrySet()) {
                long[] table = e.getValue();
                cl_kernel kernel = clCreateKernel(program.program, KernelSource.kernelName(e.getKey()), null);
                cl_mem params = clCreateBuffer(program.context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                        table.length * 8L, Pointer.to(table), null);
                long[] wg = new long[1];
                clGetKernelWorkGroupInfo(kernel, device.device(), CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t, Pointer.to(wg), null);
                int size = options.workGroupSize() > 0 ? options.workGroupSize() : (int) Math.min(DEFAULT_WORK_GROUP, wg[0]);
                kernels.put(e.getKey(), new ArityKernel(e.getKey(), kernel, params, size));
            }
        } catch (RuntimeException e) {
            release();
            String reason = e instanceof OpenClFailure ? e.getMessage() : info.description() + ": OpenCL set-up failed: " + e;
            if (strict) {
                throw e instanceof OpenClFailure f ? f : new OpenClFailure(reason, e);
            }
            fallBack(reason);
        }
        this.maxAlloc = alloc;
    }

    /** The device this backend was opened on. */
    public DeviceInfo device() {
        return info;
    }

    /** Kernel launches this backend completed on the device. */
    public long kernelLaunches() {
        return launches.get();
    }

    /** Kernel launches completed by every OpenCL backend in this JVM. */
    public static long totalKernelLaunches() {
        return ALL_LAUNCHES.get();
    }

    /** Why this backend now runs on the CPU, or null while the device does the work. */
    public String fallbackReason() {
        return fallbackReason;
    }

    /** The work-group size used for an arity, 0 when the arity has no kernel (the CPU hashes it). */
    public int workGroupSize(int arity) {
        ArityKernel k = kernels.get(arity);
        return k == null ? 0 : k.workGroupSize();
    }

    @Override
    public String description() {
        String reason = fallbackReason;
        return reason == null ? info.description() : info.description() + " [on cpu after OpenCL failure]";
    }

    @Override
    public void hashGroups(int arity, byte[] in, int inOff, int count, byte[] out, int outOff) {
        checkRange(arity, in, inOff, count, out, outOff);
        ArityKernel k = kernels.get(arity);
        if (k == null || fallbackReason != null || count == 0) {
            cpu.hashGroups(arity, in, inOff, count, out, outOff);
            return;
        }
        requireCanonical(in, inOff, (long) count * arity, arity);
        synchronized (this) {
            if (fallbackReason == null) {
                try {
                    int batch = (int) Math.max(1, Math.min(count, batchBytes() / (32L * arity)));
                    for (int done = 0; done < count; done += batch) {
                        int n = Math.min(batch, count - done);
                        long inBytes = 32L * arity * n;
                        ensureCapacity(inBytes, 32L * n);
                        clEnqueueWriteBuffer(queue, inBuffer, CL_TRUE, 0, inBytes,
                                Pointer.to(in).withByteOffset(inOff + 32L * arity * done), 0, null, null);
                        launch(k, inBuffer, 0, outBuffer, 0, n);
                        clEnqueueReadBuffer(queue, outBuffer, CL_TRUE, 0, 32L * n,
                                Pointer.to(out).withByteOffset(outOff + 32L * done), 0, null, null);
                    }
                    return;
                } catch (RuntimeException e) {
                    onFailure("hashing " + count + " arity-" + arity + " groups", e);
                }
            }
        }
        cpu.hashGroups(arity, in, inOff, count, out, outOff);
    }

    @Override
    public byte[] hashLevels(int arity, byte[] leaves, int leavesOff, long leafCount, int levels) {
        ArityKernel k = kernels.get(arity);
        long rowsTotal = 0;
        long width = leafCount;
        for (int l = 0; l < levels; l++) {
            if (width % arity != 0 || arity < 2) {
                throw new IllegalArgumentException(leafCount + " leaves do not fill " + levels + " levels of arity " + arity);
            }
            width /= arity;
            rowsTotal += width;
        }
        long leafBytes = leafCount * 32;
        long rowBytes = rowsTotal * 32;
        if (leavesOff < 0 || leavesOff + leafBytes > leaves.length) {
            throw new IllegalArgumentException(leafCount + " leaves at offset " + leavesOff + " overrun the "
                    + leaves.length + "-byte input");
        }
        if (k == null || fallbackReason != null || levels == 0 || leafBytes > batchBytes() || rowBytes > batchBytes()
                || rowBytes > Integer.MAX_VALUE) {
            // too big to keep on the device in one piece: level by level, each chunked by hashGroups
            return HashBackend.super.hashLevels(arity, leaves, leavesOff, leafCount, levels);
        }
        requireCanonical(leaves, leavesOff, leafCount, arity);
        byte[] rows = new byte[(int) rowBytes];
        synchronized (this) {
            try {
                if (fallbackReason != null) {
                    return cpu.hashLevels(arity, leaves, leavesOff, leafCount, levels);
                }
                ensureCapacity(leafBytes, rowBytes);
                clEnqueueWriteBuffer(queue, inBuffer, CL_TRUE, 0, leafBytes, Pointer.to(leaves).withByteOffset(leavesOff),
                        0, null, null);
                cl_mem src = inBuffer;
                long srcOff = 0;
                long dstOff = 0;
                width = leafCount;
                for (int l = 0; l < levels; l++) {
                    long groups = width / arity;
                    for (long done = 0; done < groups; done += Integer.MAX_VALUE) {
                        int n = (int) Math.min(Integer.MAX_VALUE, groups - done);
                        launch(k, src, srcOff + done * arity, outBuffer, dstOff + done, n);
                    }
                    src = outBuffer;
                    srcOff = dstOff;
                    dstOff += groups;
                    width = groups;
                }
                clEnqueueReadBuffer(queue, outBuffer, CL_TRUE, 0, rowBytes, Pointer.to(rows), 0, null, null);
                return rows;
            } catch (RuntimeException e) {
                onFailure("building " + levels + " arity-" + arity + " levels over " + leafCount + " leaves", e);
            }
        }
        return cpu.hashLevels(arity, leaves, leavesOff, leafCount, levels);
    }

    private void launch(ArityKernel k, cl_mem in, long inElement, cl_mem out, long outElement, int count) {
        clSetKernelArg(k.kernel(), 0, Sizeof.cl_mem, Pointer.to(in));
        clSetKernelArg(k.kernel(), 1, Sizeof.cl_ulong, Pointer.to(new long[] {inElement}));
        clSetKernelArg(k.kernel(), 2, Sizeof.cl_mem, Pointer.to(out));
        clSetKernelArg(k.kernel(), 3, Sizeof.cl_ulong, Pointer.to(new long[] {outElement}));
        clSetKernelArg(k.kernel(), 4, Sizeof.cl_uint, Pointer.to(new int[] {count}));
        clSetKernelArg(k.kernel(), 5, Sizeof.cl_mem, Pointer.to(k.params()));
        long local = k.workGroupSize();
        long global = (count + local - 1) / local * local;
        clEnqueueNDRangeKernel(queue, k.kernel(), 1, null, new long[] {global}, new long[] {local}, 0, null, null);
        clFinish(queue);
        launches.incrementAndGet();
        ALL_LAUNCHES.incrementAndGet();
    }

    private long batchBytes() {
        return maxAlloc > 0 ? Math.min(MAX_BATCH_BYTES, maxAlloc) : MAX_BATCH_BYTES;
    }

    private void ensureCapacity(long inBytes, long outBytes) {
        if (inBytes > inCapacity) {
            if (inBuffer != null) {
                clReleaseMemObject(inBuffer);
                inBuffer = null;
                inCapacity = 0;
            }
            inBuffer = clCreateBuffer(context, CL_MEM_READ_ONLY, inBytes, null, null);
            inCapacity = inBytes;
        }
        if (outBytes > outCapacity) {
            if (outBuffer != null) {
                clReleaseMemObject(outBuffer);
                outBuffer = null;
                outCapacity = 0;
            }
            outBuffer = clCreateBuffer(context, CL_MEM_READ_WRITE, outBytes, null, null);
            outCapacity = outBytes;
        }
    }

    private void onFailure(String what, RuntimeException e) {
        if (fallbackReason != null) {
            return; // another thread's failure already moved this backend to the CPU
        }
        String reason = info.description() + ": OpenCL failure while " + what + ": " + e.getMessage();
        if (strict) {
            throw new OpenClFailure(reason, e);
        }
        fallBack(reason);
        release(); // free device memory; the device may be gone, release() ignores errors
    }

    private void fallBack(String reason) {
        fallbackReason = reason;
        LOG.warning(reason + "; hashing on the CPU from now on (results stay correct, only slower). "
                + "Check the driver with `clinfo`, or run with --hash native to silence this.");
    }

    /** The CPU path's check and error, done on the host so the device only ever sees canonical values. */
    private static void requireCanonical(byte[] in, int off, long elements, int arity) {
        for (long e = 0; e < elements; e++) {
            int at = (int) (off + e * Fr.BYTES);
            if (!Fr.isCanonical(in, at)) {
                throw Fr.nonCanonical(in, at, "element " + (e % arity) + " of group " + (e / arity));
            }
        }
    }

    private static void checkRange(int arity, byte[] in, int inOff, int count, byte[] out, int outOff) {
        if (count < 0 || inOff < 0 || outOff < 0 || inOff + 32L * arity * count > in.length
                || outOff + 32L * count > out.length) {
            throw new IllegalArgumentException(count + " arity-" + arity + " groups at input offset " + inOff
                    + " / output offset " + outOff + " overrun the buffers (" + in.length + " / " + out.length + " bytes)");
        }
    }

    @Override
    public synchronized void close() {
        release();
    }

    private void release() {
        for (ArityKernel k : kernels.values()) {
            quietly(() -> clReleaseKernel(k.kernel()));
            quietly(() -> clReleaseMemObject(k.params()));
        }
        kernels.clear();
        if (inBuffer != null) {
            cl_mem b = inBuffer;
            quietly(() -> clReleaseMemObject(b));
            inBuffer = null;
        }
        if (outBuffer != null) {
            cl_mem b = outBuffer;
            quietly(() -> clReleaseMemObject(b));
            outBuffer = null;
        }
        if (queue != null) {
            cl_command_queue q = queue;
            quietly(() -> clReleaseCommandQueue(q));
            queue = null;
        }
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ignored) {
            // releasing after a device failure may fail again; nothing to recover
        }
    }
}
