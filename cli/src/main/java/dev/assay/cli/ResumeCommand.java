package dev.assay.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.run.SourceDigest;
import dev.assay.spec.ExperimentSpec;
import dev.assay.track.RunRecord;
import dev.assay.track.TrackingStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code assay resume EXPERIMENT}: runs what is left of an experiment, from the file and
 * command-line arguments recorded with its latest run. Equivalent to running the same
 * {@code assay run} command again.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Finish an experiment: rerun its failed or interrupted trials and run the"
                + " ones never started, from the file and arguments recorded with its runs.")
public final class ResumeCommand implements Callable<Integer> {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "experiment name")
    String experiment;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "directory searched first for datasets (repeatable; also $ASSAY_DATA_DIR)")
    List<Path> dataDirs = new ArrayList<>();

    @Mixin
    StoreOptions store;

    @Mixin
    PluginOptions plugins;

    @Mixin
    CheckpointOptions checkpoints;

    @Mixin
    SweepOptions sweep;

    @Spec
    CommandSpec spec;

    /**
     * Resumes the experiment.
     *
     * @return as {@code assay run}
     * @throws IOException if the recorded arguments are not valid JSON
     * @throws IllegalArgumentException if the experiment has no runs or no recorded file
     */
    @Override
    public Integer call() throws IOException {
        RunRecord latest;
        try (TrackingStore db = TrackingStore.open(store.existingUrl())) {
            latest = db.runs(experiment).stream()
                    .max(Comparator.comparingLong(RunRecord::startTimeMillis))
                    .orElseThrow(() -> new IllegalArgumentException(Tables.noRunsOf(experiment, db,
                            store.readingUrl())));
        }
        String source = latest.tags().get("assay.source");
        if (source == null) {
            throw new IllegalArgumentException("the runs of '" + experiment + "' do not record"
                    + " their experiment file; run it again with assay run FILE");
        }
        ObjectMapper json = new ObjectMapper();
        ExperimentSpec.Arguments arguments = new ExperimentSpec.Arguments(
                json.readValue(latest.tags().getOrDefault("assay.overrides", "[]"), STRINGS),
                json.readValue(latest.tags().getOrDefault("assay.sweeps", "[]"), STRINGS));
        // the directories given now are searched first, then those the runs were recorded with
        List<Path> searched = new ArrayList<>(dataDirs);
        for (String recordedDir : json.readValue(latest.tags().getOrDefault("assay.data_dirs", "[]"), STRINGS)) {
            if (searched.stream().noneMatch(d -> d.toAbsolutePath().normalize().toString().equals(recordedDir))) {
                searched.add(Path.of(recordedDir));
            }
        }
        List<Path> recordedPlugins = new ArrayList<>();
        for (String p : json.readValue(latest.tags().getOrDefault("assay.plugin_path", "[]"), STRINGS)) {
            recordedPlugins.add(Path.of(p));
        }
        List<Path> addedPlugins = plugins.addRecorded(recordedPlugins);
        requireUnchanged(source, latest.tags().get(SourceDigest.TAG),
                runCommand(source, arguments, searched, plugins.pluginPath, store.givenArguments()));
        if (!addedPlugins.isEmpty()) {
            spec.commandLine().getErr().println("Plugin path as recorded: " + addedPlugins.stream().map(Path::toString)
                    .collect(java.util.stream.Collectors.joining(", ")));
        }
        spec.commandLine().getErr().println("Resuming '" + experiment + "' from " + source
                + (searched.isEmpty() ? "" : " (data directories: " + searched.stream().map(Path::toString)
                        .collect(java.util.stream.Collectors.joining(", ")) + ")"));
        return new SweepExecution(Path.of(source), arguments, searched, false, false, sweep.parallel(),
                sweep.staleAfter(), checkpoints.interval(),
                runCommand(source, arguments, searched, plugins.pluginPath, store.givenArguments())
                        + " --rerun runs them all again")
                .execute(plugins.load(), store, plugins, spec.commandLine().getOut(),
                        spec.commandLine().getErr());
    }

    /**
     * The {@code assay run} command that plans what resume plans: the file with the recorded
     * overrides, {@code --sweep} axes, data directories and plugin path (the file alone planned
     * another sweep: {@code assay run FILE --rerun} dropped {@code training.epochs=3} and a {@code
     * --sweep} axis, and ran other trials than those resume reported on; without the plugin path a
     * plugin's dataset was an unknown name). Add {@code --rerun} to run every trial again.
     *
     * @param source the experiment file
     * @param arguments the recorded overrides and sweep axes
     * @param dataDirs the data directories searched
     * @param pluginPath the plugin path loaded
     * @param storeArguments {@code --store VALUE} when the user gave the store, else empty
     * @return the command, each word quoted for a POSIX shell where needed
     */
    static String runCommand(String source, ExperimentSpec.Arguments arguments, List<Path> dataDirs,
            List<Path> pluginPath, List<String> storeArguments) {
        StringBuilder command = new StringBuilder("assay run ").append(shellWord(source));
        storeArguments.forEach(a -> command.append(' ').append(shellWord(a)));
        arguments.overrides().forEach(o -> command.append(' ').append(shellWord(o)));
        arguments.sweeps().forEach(s -> command.append(" --sweep ").append(shellWord(s)));
        dataDirs.forEach(d -> command.append(" --data-dir ").append(shellWord(d.toString())));
        pluginPath.forEach(p -> command.append(" --plugin-path ").append(shellWord(p.toString())));
        return command.toString();
    }

    /** A word as a POSIX shell reads it back: as is when plain, else single-quoted. */
    private static String shellWord(String word) {
        return !word.isEmpty() && word.matches("[A-Za-z0-9_./=,:@%+-]+") ? word
                : "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * Checks that the experiment file is the one the runs were recorded from: resume promises the
     * same trials, and an edited file would plan others under the same experiment.
     *
     * @param source the recorded path
     * @param recorded the recorded SHA-256, or null for runs recorded before Assay kept it
     * @param runCommand the {@code assay run} command of the recorded arguments, to suggest
     * @throws IllegalArgumentException if the file is gone or its bytes changed
     */
    private void requireUnchanged(String source, String recorded, String runCommand) {
        Path file = Path.of(source);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("the experiment file of '" + experiment + "', " + source
                    + ", is gone; restore it, or run another file with assay run FILE");
        }
        if (recorded != null && !recorded.equals(SourceDigest.of(file))) {
            throw new IllegalArgumentException("the experiment file " + source + " changed since the runs of '"
                    + experiment + "' were recorded from it, so resume would plan other trials than it promises."
                    + " Restore the file to continue, or run the edited file knowingly with " + runCommand
                    + " (completed trials of the same configuration are still skipped)");
        }
    }
}
