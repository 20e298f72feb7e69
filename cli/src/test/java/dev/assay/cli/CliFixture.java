package dev.assay.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process and captures its output and exit code. */
record CliFixture(int exitCode, String out, String err) {

    static CliFixture run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliFixture(code, out.toString(), err.toString());
    }
}
