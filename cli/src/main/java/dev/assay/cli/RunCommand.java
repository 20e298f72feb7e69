package dev.assay.cli;

import dev.assay.spec.ExperimentSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code assay run FILE [path=value ...]}: checks the experiment file and every planned trial,
 * then trains the trials one after another, recording each run, and prints a results table.
 * Nothing is written to the store unless the whole file and every trial are valid. Running the
 * same experiment again resumes it: trials whose key already completed are skipped.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run an experiment file: every trial of its sweep, recorded in the store."
                + " Trials already completed in the store are skipped (resume).")
public final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "experiment YAML file")
    Path file;

    @Parameters(index = "1..*", paramLabel = "path=value",
            description = "overrides, e.g. training.epochs=3 model.params.dropout=0.5")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--sweep", paramLabel = "path=v1,v2",
            description = "add or replace a sweep axis (a grid axis; a uniform choice under strategy random or"
                    + " tpe), e.g. --sweep training.optimizer.learning_rate=0.1,0.01 (repeatable)")
    List<String> sweeps = new ArrayList<>();

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "directory searched first for datasets (repeatable; also $ASSAY_DATA_DIR)")
    List<Path> dataDirs = new ArrayList<>();

    @Option(names = "--dry-run", description = "check the file and list the planned trials; train nothing")
    boolean dryRun;

    @Option(names = "--rerun", description = "run every trial, even those already completed in the store")
    boolean rerun;

    @Mixin
    SweepOptions sweep;

    @Mixin
    StoreOptions store;

    @Mixin
    PluginOptions plugins;

    @Mixin
    CheckpointOptions checkpoints;

    @Spec
    CommandSpec spec;

    /**
     * Runs the command.
     *
     * @return 0 if every trial completed, 3 if some failed or diverged
     */
    @Override
    public Integer call() {
        return new SweepExecution(file, new ExperimentSpec.Arguments(overrides, sweeps), dataDirs,
                rerun, dryRun, sweep.parallel(), sweep.staleAfter(), checkpoints.interval(),
                "use --rerun to run them all again").execute(plugins.load(), store, plugins,
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
