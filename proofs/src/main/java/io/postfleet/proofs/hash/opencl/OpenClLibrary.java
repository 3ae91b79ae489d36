package io.postfleet.proofs.hash.opencl;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether the OpenCL loader library that JOCL binds to can be opened, found out without JOCL. When JOCL's native half
 * cannot open the library it says so with printf on the process's standard output: not through System.out, so no
 * Java stream can be swapped to catch it, and during JOCL's class initialisation, before any of its settings can be
 * changed. post-tool prints its results on that standard output, so JOCL must not be asked on a machine where the
 * library is missing.
 */
final class OpenClLibrary {

    /** The one name JOCL 2.0.5 asks the dynamic linker for on Linux (its LibInitializer). */
    static final String LINUX_NAME = "libOpenCL.so";
    private static final int RTLD_LAZY = 1;

    private OpenClLibrary() {
    }

    /**
     * Why JOCL would fail to open the OpenCL library, or empty when it can try: the library opens, or this is not
     * Linux (elsewhere JOCL's first candidate is part of the system, the macOS framework or OpenCL.dll), or the
     * dynamic linker cannot be asked here.
     */
    static Optional<String> unavailable() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.empty();
        }
        try {
            // dlopen with the name JOCL uses, so that both find the same library or both fail
            NativeLibrary process = NativeLibrary.getProcess();
            Function dlopen = process.getFunction("dlopen");
            Function dlclose = process.getFunction("dlclose");
            Pointer handle = dlopen.invokePointer(new Object[] {LINUX_NAME, RTLD_LAZY});
            if (handle == null) {
                // no dlerror text: the JVM's own lookups between two calls from Java can free it
                return Optional.of("the dynamic linker cannot load " + LINUX_NAME + " (searched in LD_LIBRARY_PATH"
                        + " and the ldconfig cache): install an OpenCL ICD loader and a driver, or hash with --hash native");
            }
            dlclose.invokeInt(new Object[] {handle});
            return Optional.empty();
        } catch (LinkageError | RuntimeException e) {
            // JNA's native part cannot load here (a temporary directory without exec, say): let JOCL find out
            return Optional.empty();
        }
    }
}
