package io.postfleet.proofs.hash.opencl;

import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VENDOR;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.clGetDeviceIDs;
import static org.jocl.CL.clGetDeviceInfo;
import static org.jocl.CL.clGetPlatformIDs;
import static org.jocl.CL.clGetPlatformInfo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * The OpenCL devices of this machine, enumerated once per JVM. No OpenCL at all (no libOpenCL.so, no ICD, no
 * platform) is an empty list with the reason, never an exception: the CPU path then does the work.
 */
public final class OpenClDevices {

    private static volatile Discovery discovered;

    private OpenClDevices() {
    }

    /** The result of enumeration: the devices in index order, and why there are none when that is the case. */
    public record Discovery(List<OpenClDevice> devices, Optional<String> unavailable) {

        public List<DeviceInfo> infos() {
            return devices.stream().map(OpenClDevice::info).toList();
        }
    }

    /** The devices of all platforms, in {@code opencl:N} order; empty when there is no OpenCL. */
    public static List<DeviceInfo> list() {
        return discover().infos();
    }

    /** Why there is no device, when there is none. */
    public static Optional<String> unavailableReason() {
        return discover().unavailable();
    }

    static Discovery discover() {
        Discovery d = discovered;
        if (d == null) {
            synchronized (OpenClDevices.class) {
                d = discovered;
                if (d == null) {
                    d = enumerate();
                    discovered = d;
                }
            }
        }
        return d;
    }

    private static Discovery enumerate() {
        Optional<String> noLibrary = OpenClLibrary.unavailable();
        if (noLibrary.isPresent()) {
            return new Discovery(List.of(), Optional.of("OpenCL unavailable: " + noLibrary.get()));
        }
        try {
            CL.setExceptionsEnabled(true);
            int[] count = new int[1];
            clGetPlatformIDs(0, null, count);
            cl_platform_id[] platforms = new cl_platform_id[count[0]];
            clGetPlatformIDs(platforms.length, platforms, null);
            List<OpenClDevice> devices = new ArrayList<>();
            for (cl_platform_id platform : platforms) {
                String platformName = platformString(platform, CL_PLATFORM_NAME);
                int[] n = new int[1];
                try {
                    clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, n);
                } catch (RuntimeException e) {
                    continue; // a platform without devices reports CL_DEVICE_NOT_FOUND
                }
                cl_device_id[] ids = new cl_device_id[n[0]];
                clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, ids.length, ids, null);
                for (cl_device_id id : ids) {
                    long[] type = new long[1];
                    clGetDeviceInfo(id, CL_DEVICE_TYPE, Sizeof.cl_long, Pointer.to(type), null);
                    int[] units = new int[1];
                    clGetDeviceInfo(id, CL_DEVICE_MAX_COMPUTE_UNITS, Sizeof.cl_uint, Pointer.to(units), null);
                    long[] memory = new long[1];
                    clGetDeviceInfo(id, CL_DEVICE_GLOBAL_MEM_SIZE, Sizeof.cl_ulong, Pointer.to(memory), null);
                    DeviceInfo info = new DeviceInfo(devices.size(), kind(type[0]), deviceString(id, CL_DEVICE_VENDOR),
                            deviceString(id, CL_DEVICE_NAME), platformName, units[0], memory[0]);
                    devices.add(new OpenClDevice(info, platform, id));
                }
            }
            return new Discovery(List.copyOf(devices),
                    devices.isEmpty() ? Optional.of("no OpenCL device on " + platforms.length + " platform(s)") : Optional.empty());
        } catch (RuntimeException | LinkageError e) {
            // UnsatisfiedLinkError: no libOpenCL.so; CLException CL_PLATFORM_NOT_FOUND_KHR: no ICD registered
            return new Discovery(List.of(), Optional.of("OpenCL unavailable: " + e));
        }
    }

    private static DeviceKind kind(long type) {
        if ((type & CL_DEVICE_TYPE_GPU) != 0) {
            return DeviceKind.GPU;
        }
        if ((type & CL_DEVICE_TYPE_CPU) != 0) {
            return DeviceKind.CPU;
        }
        if ((type & CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            return DeviceKind.ACCELERATOR;
        }
        return DeviceKind.OTHER;
    }

    static String deviceString(cl_device_id id, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(id, param, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        clGetDeviceInfo(id, param, bytes.length, Pointer.to(bytes), null);
        return cString(bytes);
    }

    private static String platformString(cl_platform_id id, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(id, param, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        clGetPlatformInfo(id, param, bytes.length, Pointer.to(bytes), null);
        return cString(bytes);
    }

    private static String cString(byte[] bytes) {
        int len = 0;
        while (len < bytes.length && bytes[len] != 0) {
            len++;
        }
        return new String(bytes, 0, len, StandardCharsets.UTF_8).trim();
    }
}
