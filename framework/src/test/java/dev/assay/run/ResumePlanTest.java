package dev.assay.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.plugin.ToyPlugins;
import dev.assay.spec.ExperimentSpec;
import dev.assay.spec.SpecBinder;
import dev.assay.spec.SpecLoader;
import dev.assay.sweep.SweepPlanner;
import dev.assay.sweep.TrialSpec;
import dev.assay.track.NewRun;
import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which trials a repeated run of an experiment skips, reruns or leaves to another process. */
class ResumePlanTest {

    private static final String YAML = """
            name: resume
            dataset: toy-data
            model: toy-net
            task: toy-task
            training:
              epochs: 1
              optimizer: sgd
            sweep:
              parameters:
                training.batch_size: [1, 2, 3, 4, 5, 6]
            """;

    @TempDir
    Path dir;

    private TrackingStore store;
    private List<TrialSpec> trials;

    @BeforeEach
    void setUp() {
        store = TrackingStore.open(TrackingStore.defaultUrl(dir));
        ExperimentSpec spec = SpecLoader.parse(YAML, "resume.yaml", List.of());
        trials = SweepPlanner.plan(spec, new SpecBinder(ToyPlugins.registry()));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private String record(TrialSpec t, RunStatus status) {
        String id = store.createRun(new NewRun("resume", "", t.runName(), t.index(), t.trialKey(),
                t.seed(), "", "{}", Map.of(), Map.of()));
        if (status != RunStatus.RUNNING) {
            store.finishRun(id, status, null);
        }
        return id;
    }

    @Test
    void completedAndDivergedTrialsAreDoneFailedInterruptedAndNewOnesRun() {
        record(trials.get(0), RunStatus.COMPLETED);
        record(trials.get(1), RunStatus.DIVERGED);
        record(trials.get(2), RunStatus.FAILED);
        record(trials.get(3), RunStatus.INTERRUPTED);
        record(trials.get(4), RunStatus.FAILED);
        record(trials.get(4), RunStatus.COMPLETED);

        ResumePlan plan = ResumePlan.of(store, "resume", trials, Duration.ofHours(1));

        assertThat(plan.done()).extracting(TrialSpec::index).containsExactly(0, 1, 4);
        assertThat(plan.toRun()).extracting(TrialSpec::index).containsExactly(2, 3, 5);
        assertThat(plan.elsewhere()).isEmpty();
        assertThat(plan.staleMarked()).isZero();
    }

    @Test
    void aRunningTrialWithAFreshHeartbeatIsLeftToItsProcess() {
        record(trials.get(2), RunStatus.RUNNING);

        ResumePlan plan = ResumePlan.of(store, "resume", trials, Duration.ofHours(1));

        assertThat(plan.elsewhere()).extracting(TrialSpec::index).containsExactly(2);
        assertThat(plan.toRun()).hasSize(5);
    }

    @Test
    void aRunningTrialWithoutHeartbeatIsMarkedInterruptedAndRunsAgain() throws Exception {
        String dead = record(trials.get(2), RunStatus.RUNNING);
        Thread.sleep(30);

        ResumePlan plan = ResumePlan.of(store, "resume", trials, Duration.ofMillis(10));

        assertThat(plan.staleMarked()).isEqualTo(1);
        assertThat(plan.toRun()).extracting(TrialSpec::index).contains(2);
        RunRecord run = store.run(dead).orElseThrow();
        assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
        assertThat(run.errorMessage()).startsWith("interrupted: its process stopped");
        assertThat(run.endTimeMillis()).isNotNull();
    }

    @Test
    void heartbeatKeepsARunningRunFresh() throws Exception {
        String alive = record(trials.get(2), RunStatus.RUNNING);
        Thread.sleep(60);
        store.heartbeat(List.of(alive));

        ResumePlan plan = ResumePlan.of(store, "resume", trials, Duration.ofMillis(40));

        assertThat(plan.staleMarked()).isZero();
        assertThat(store.run(alive).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void otherExperimentsAreNotTouched() throws Exception {
        String other = store.createRun(new NewRun("other", "", "x", 0, trials.get(0).trialKey(),
                1, "", "{}", Map.of(), Map.of()));
        store.finishRun(other, RunStatus.COMPLETED, null);
        Thread.sleep(20);

        ResumePlan plan = ResumePlan.of(store, "resume", trials, Duration.ofMillis(5));

        assertThat(plan.toRun()).hasSize(6);
    }
}
