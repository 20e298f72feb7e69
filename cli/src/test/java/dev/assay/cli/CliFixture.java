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
}
