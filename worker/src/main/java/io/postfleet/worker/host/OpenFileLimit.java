package io.postfleet.worker.host;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Structure;

/**
 * This process's limit on open files (RLIMIT_NOFILE), read and set through libc's {@code getrlimit} and
 * {@code setrlimit} with JNA. The soft limit is what the kernel enforces; a process may raise it up to the hard limit
 * without privileges, and only root raises the hard limit. The JVM already raises the soft limit to the hard one at
 * start-up on Linux unless run with {@code -XX:-MaxFDLimit}; {@link #raise} does it either way and says what it found.
 */
public final class OpenFileLimit {

    /** RLIMIT_NOFILE in Linux's generic resource numbering (x86-64, arm64). */
    static final int RLIMIT_NOFILE = 7;
    /** What an unlimited limit is written as here (RLIM_INFINITY, all bits set, does not fit a signed long). */
    public static final long UNLIMITED = Long.MAX_VALUE;

    /** The two limits. */
    public record Limits(long soft, long hard) {
        @Override
        public String toString() {
            return "soft " + text(soft) + ", hard " + text(hard);
        }
    }

    /** What {@link #raise} found and left: the limits before and after. */
    public record Raised(Limits before, Limits after) {
    }

    /** The libc entry points used, by their C names; a failed call throws with errno. */
    interface LibC extends Library {
        int getrlimit(int resource, RLimit limit) throws LastErrorException;

        int setrlimit(int resource, RLimit limit) throws LastErrorException;
    }

    /** struct rlimit: two rlim_t, unsigned 64-bit on 64-bit Linux. */
    @Structure.FieldOrder({"rlim_cur", "rlim_max"})
    public static class RLimit extends Structure {
        public long rlim_cur;
        public long rlim_max;
    }

    private static final class Holder {
        static final LibC LIBC = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
    }

    private OpenFileLimit() {
    }

    /**
     * The limits now.
     *
     * @throws IllegalStateException when this is not Linux, libc does not load or the call fails, saying which
     */
    public static Limits read() {
        RLimit r = new RLimit();
        try {
            libc().getrlimit(RLIMIT_NOFILE, r);
        } catch (LastErrorException e) {
            throw new IllegalStateException("getrlimit(RLIMIT_NOFILE) failed: errno " + e.getErrorCode());
        }
        return new Limits(fromRlim(r.rlim_cur), fromRlim(r.rlim_max));
    }

    /**
     * Sets both limits; a soft limit above the hard one, or a hard limit above the present one without root, is
     * refused by the kernel.
     *
     * @throws IllegalStateException naming the limits asked for and the kernel's answer
     */
    public static void set(Limits limits) {
        RLimit r = new RLimit();
        r.rlim_cur = toRlim(limits.soft());
        r.rlim_max = toRlim(limits.hard());
        try {
            libc().setrlimit(RLIMIT_NOFILE, r);
        } catch (LastErrorException e) {
            String why = switch (e.getErrorCode()) {
                case 1 -> "EPERM: raising the hard limit needs root";
                case 22 -> "EINVAL: the soft limit is above the hard limit, or the hard limit above fs.nr_open";
                default -> "errno " + e.getErrorCode();
            };
            throw new IllegalStateException("setrlimit(RLIMIT_NOFILE, " + limits + ") refused (" + why + ")");
        }
    }

    /** Raises the soft limit to the hard one, as far as the kernel allows. */
    public static Raised raise() {
        Limits before = read();
        if (before.soft() < before.hard()) {
            set(new Limits(before.hard(), before.hard()));
        }
        return new Raised(before, read());
    }

    /** A limit as {@code ulimit -n} writes it. */
    public static String text(long limit) {
        return limit == UNLIMITED ? "unlimited" : String.valueOf(limit);
    }

    private static LibC libc() {
        if (!Platform.isLinux()) {
            throw new IllegalStateException("the open-file limit is read on Linux only, not on " + System.getProperty(
                    "os.name"));
        }
        try {
            return Holder.LIBC;
        } catch (LinkageError e) {
            throw new IllegalStateException("libc did not load through JNA (" + e.getMessage() + ")");
        }
    }

    private static long fromRlim(long v) {
        return v < 0 ? UNLIMITED : v; // rlim_t is unsigned: RLIM_INFINITY and anything above 2^63 read negative
    }

    private static long toRlim(long v) {
        return v == UNLIMITED ? -1L : v;
    }
}
