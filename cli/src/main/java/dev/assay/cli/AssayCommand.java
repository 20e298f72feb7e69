package dev.assay.cli;

import picocli.CommandLine.Command;

/** The top-level {@code assay} command; see its subcommands. */
@Command(
        name = "assay",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Experiment tracking and sweeps for deep learning on the JVM (DJL).",
        subcommands = {RunCommand.class, ResumeCommand.class, RunsCommand.class, ShowCommand.class, CompareCommand.class, ExportCommand.class, PluginsCommand.class, UiCommand.class, BenchCommand.class, WorkerCommand.class,
                picocli.CommandLine.HelpCommand.class})
public final class AssayCommand implements Runnable {

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    /** Without a subcommand, prints the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
