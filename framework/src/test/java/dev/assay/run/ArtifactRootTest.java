package dev.assay.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.assay.plugin.PluginRegistry;
import dev.assay.plugin.ToyPlugins;
import dev.assay.spec.ExperimentSpec;
import dev.assay.spec.SpecBinder;
import dev.assay.spec.SpecLoader;
import dev.assay.sweep.SweepPlanner;
import dev.assay.track.AsyncTracker;
import dev.assay.track.TrackingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep whose artifact directory cannot be made stops before any run is created. */
class ArtifactRootTest {

    @TempDir
    Path dir;

    @Test
    void anArtifactDirectoryThatCannotBeCreatedStopsTheSweepBeforeItsFirstRun() throws Exception {
        // an unwritable artifact directory failed every trial after its training, at its checkpoint, with a bare
        // AccessDeniedException (found by a fresh-clone check; tests run as root, so a regular file stands in
        // for the directory's parent here)
        PluginRegistry registry = PluginRegistry.fromModules(List.of(new ToyPlugins.ToyPlugin(),
                new TaskResultTest.ReturnsPlugin()));
        ExperimentSpec spec = SpecLoader.parse("""
                name: artifacts
                dataset: toy-data
                model: toy-net
                task: {name: returns}
                training: {epochs: 1, optimizer: sgd}
                """, "artifacts.yaml", List.of());
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        Path root = file.resolve("artifacts");
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")));
                AsyncTracker tracker = new AsyncTracker(store, Duration.ofMillis(50))) {
            SweepRunner runner = new SweepRunner(registry, store, tracker, root, List.of());
            assertThatThrownBy(() -> runner.run(spec, SweepPlanner.plan(spec, new SpecBinder(registry)),
                    SweepListener.NONE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("cannot create the artifact directory " + root.toAbsolutePath() + " (")
                    .hasMessageEndingWith("); runs keep their checkpoints there, beside the store: choose another"
                            + " --store");
            assertThat(store.runs("artifacts")).isEmpty();
        }
    }
}
