package dev.assay.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;

/**
 * Runs the CLI in-process, on byte streams wrapped as {@link Main#main} wraps the standard ones
 * (so output a command leaves unflushed is lost here too), and captures its output and exit code.
 */
record CliFixture(int exitCode, String out, String err) {

    static CliFixture run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(out, err, args);
        return new CliFixture(code, out.toString(Charset.defaultCharset()), err.toString(Charset.defaultCharset()));
    }

    /**
     * The trial keys {@code assay run FILE --dry-run} plans, in its table's order.
     *
     * @param file the experiment file
     * @return the 16-hex-digit keys
     */
    static java.util.List<String> plannedKeys(java.nio.file.Path file) {
        return run("run", file.toString(), "--dry-run").out().lines().map(l -> l.split("\\|"))
                .filter(cells -> cells.length > 2 && cells[2].trim().matches("[0-9a-f]{16}"))
                .map(cells -> cells[2].trim()).toList();
    }
}
