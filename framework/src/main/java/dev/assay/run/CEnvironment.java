package dev.assay.run;

import dev.assay.train.LibC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's C environment (libc's {@code getenv}/{@code setenv}, {@code stdlib.h}, through
 * JNA), which native engines read when they load or first need a setting. Java's {@link
 * System#getenv} is a copy taken when the JVM started and neither sees nor makes changes here.
 * Linux and macOS only; elsewhere {@link #libc()} is null and callers change nothing.
 */
final class CEnvironment {

    private static final Logger LOG = LoggerFactory.getLogger(CEnvironment.class);

    private CEnvironment() {}

    /**
     * Sets {@code name} to {@code value} in the C environment unless it holds a non-blank value
     * already (the user's choice wins), and returns the value in force afterwards.
     *
     * @param name the variable
     * @param value the value to set where none is
     * @return the value now in force; {@code null} where libc cannot be loaded, or the variable is
     *     unset and setting it failed
     */
    static String setUnlessGiven(String name, String value) {
        LibC.Functions libc = libc();
        if (libc == null) {
            return null;
        }
        String given = libc.getenv(name);
        if (given != null && !given.isBlank()) {
            return given;
        }
        if (libc.setenv(name, value, 1) != 0) {
            LOG.warn("Could not set {}={} in the process's environment", name, value);
            return null;
        }
        return value;
    }

    /**
     * Returns libc's environment functions ({@link LibC}), loaded once.
     *
     * @return them, or null where they cannot be loaded (not Linux or macOS)
     */
    static LibC.Functions libc() {
        return LibC.get();
    }
}
