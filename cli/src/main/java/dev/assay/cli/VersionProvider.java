package dev.assay.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar manifest ("dev" when run from classes). */
public final class VersionProvider implements IVersionProvider {

    /**
     * Returns the version lines.
     *
     * @return one line, e.g. {@code assay 0.1.0-SNAPSHOT}
     */
    @Override
    public String[] getVersion() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"assay " + (v == null ? "dev" : v)};
    }
}
