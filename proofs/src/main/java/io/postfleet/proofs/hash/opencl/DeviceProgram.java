package io.postfleet.proofs.hash.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clGetProgramBuildInfo;
import static org.jocl.CL.clReleaseProgram;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_program;

/**
 * A built program on one device, with the context it lives in. Built once per device and source and kept for the
 * life of the JVM: building takes about a second on PoCL and more on GPU drivers, and backends are opened and
 * closed often (every command, every test). The drivers keep their own on-disk caches of compiled binaries (PoCL:
 * POCL_CACHE_DIR, NVIDIA: the compute cache), so a second process builds faster too.
 */
final class DeviceProgram {

    private static final Logger LOG = Logger.getLogger(DeviceProgram.class.getName());
    private static final Map<Integer, cl_context> CONTEXTS = new ConcurrentHashMap<>();
    private static final Map<Key, DeviceProgram> PROGRAMS = new ConcurrentHashMap<>();

    private record Key(int device, String source) {
    }

    final cl_context context;
    final cl_program program;
    final long buildMillis;

    private DeviceProgram(cl_context context, cl_program program, long buildMillis) {
        this.context = context;
        this.program = program;
        this.buildMillis = buildMillis;
    }

    /** The program for this source on this device, building it on first use. Throws {@link OpenClFailure}. */
    static DeviceProgram of(OpenClDevice device, String source) {
        Key key = new Key(device.info().index(), source);
        DeviceProgram p = PROGRAMS.get(key);
        if (p != null) {
            return p;
        }
        synchronized (DeviceProgram.class) {
            p = PROGRAMS.get(key);
            if (p == null) {
                p = build(device, context(device), source);
                PROGRAMS.put(key, p);
            }
            return p;
        }
    }

    static cl_context context(OpenClDevice device) {
        return CONTEXTS.computeIfAbsent(device.info().index(), i -> {
            try {
                cl_context_properties props = new cl_context_properties();
                props.addProperty(CL_CONTEXT_PLATFORM, device.platform());
                return clCreateContext(props, 1, new cl_device_id[] {device.device()}, null, null, null);
            } catch (RuntimeException e) {
                throw new OpenClFailure(device.info().description() + ": cannot create an OpenCL context: " + e.getMessage(), e);
            }
        });
    }

    private static DeviceProgram build(OpenClDevice device, cl_context context, String source) {
        long start = System.nanoTime();
        cl_program program = null;
        try {
            program = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
            clBuildProgram(program, 1, new cl_device_id[] {device.device()}, "-cl-std=CL1.2", null, null);
        } catch (RuntimeException e) {
            String log = program == null ? "" : buildLog(program, device.device());
            if (program != null) {
                try {
                    clReleaseProgram(program);
                } catch (RuntimeException ignored) {
                    // the build error below is what matters
                }
            }
            throw new OpenClFailure(device.info().description() + ": Poseidon kernel build failed: " + e.getMessage()
                    + (log.isBlank() ? "" : "\n" + log.strip()), e);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        LOG.fine(() -> device.info().description() + ": kernels built in " + millis + " ms");
        return new DeviceProgram(context, program, millis);
    }

    private static String buildLog(cl_program program, cl_device_id device) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] bytes = new byte[(int) size[0]];
            clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null);
            int len = bytes.length;
            while (len > 0 && bytes[len - 1] == 0) {
                len--;
            }
            return new String(bytes, 0, len, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return "(no build log: " + e.getMessage() + ")";
        }
    }

    /** A kernel source file shipped next to this class. */
    static String resource(String name) {
        try (InputStream in = DeviceProgram.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("kernel source " + name + " missing from the proofs jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read kernel source " + name + ": " + e.getMessage(), e);
        }
    }
}
