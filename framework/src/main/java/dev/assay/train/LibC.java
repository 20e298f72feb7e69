package dev.assay.train;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The C library functions Assay calls through JNA, loaded once per process: glibc's {@code
 * malloc_trim} ({@link MallocTrim}) and the environment's {@code getenv}/{@code setenv} (which
 * native engines read when they load). Linux and macOS only; {@link #get()} is null elsewhere.
 * Two loaders of their own had the same fallback loop before.
 */
public final class LibC {

    private static final Logger LOG = LoggerFactory.getLogger(LibC.class);

    /**
     * The functions, as {@code malloc.h} and {@code stdlib.h} declare them. JNA binds each at its
     * first call, so one a platform lacks ({@code malloc_trim} on macOS) fails only if called.
     */
    public interface Functions extends Library {
        /**
         * glibc's {@code malloc_trim}: returns free heap memory to the system.
         *
         * @param pad bytes to leave untrimmed at the top of the heap
         * @return 1 if memory was released, else 0
         */
        int malloc_trim(long pad);

        /**
         * Reads a variable of the process's C environment.
         *
         * @param name the variable
         * @return its value, or null when unset
         */
        String getenv(String name);

        /**
         * Sets a variable of the process's C environment.
         *
         * @param name the variable
         * @param value its value
         * @param overwrite nonzero to replace a value already set
         * @return 0 on success, -1 on error
         */
        int setenv(String name, String value, int overwrite);
    }

    private static final Functions LOADED = load();

    private LibC() {}

    /**
     * Returns the C library's functions, loaded once.
     *
     * @return them, or null where the library cannot be loaded (not Linux or macOS)
     */
    public static Functions get() {
        return LOADED;
    }

    private static Functions load() {
        if (!Platform.isLinux() && !Platform.isMac()) {
            return null;
        }
        // glibc's runtime soname first: "c" alone finds no libc.so (a development link) on most systems
        for (String name : new String[] {Platform.isLinux() ? "libc.so.6" : "c", "c"}) {
            try {
                return Native.load(name, Functions.class);
            } catch (LinkageError e) {
                LOG.debug("Cannot load the C library as {}: {}", name, e.toString());
            }
        }
        return null;
    }
}
