package dev.assay.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.assay.spec.EarlyStoppingSpec;
import dev.assay.spec.PrunerSpec;
import dev.assay.track.RunTracker;
import dev.assay.train.EarlyStopException;
import dev.assay.train.TrainingProgress;
import dev.assay.train.TrialPrunedException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EpochJudgeTest {

    /** Records tags; the judge needs nothing else from a tracker. */
    private static class Tags implements RunTracker {
        final Map<String, String> tags = new HashMap<>();
        private final String id;

        Tags(String id) {
            this.id = id;
        }

        @Override
        public String runId() {
            return id;
        }

        @Override
        public void logMetric(String key, long step, int epoch, double value) {}

        @Override
        public void setTag(String key, String value) {
            tags.put(key, value);
        }

        @Override
        public Path artifactDir() {
            throw new UnsupportedOperationException();
        }
    }

    private static EpochJudge judge(EarlyStoppingSpec es, PrunerSpec pruner, PrunerHistory h, Tags t) {
        return new EpochJudge(TrainingProgress.NONE, es, pruner, h, t, 100);
    }

    @Test
    void anEpochEndFailsTheTrialOnceItsMetricsCouldNotBeWritten() {
        // on a full disk the trial trained on for 13 more epochs, each write dropped
        java.util.List<Integer> shown = new java.util.ArrayList<>();
        Tags lost = new Tags("lost") {
            @Override
            public void requireWritten() {
                if (!shown.isEmpty() && shown.get(shown.size() - 1) == 2) {
                    throw new IllegalStateException("Writing tracked metrics of run lost failed: No space left on device");
                }
            }
        };
        TrainingProgress console = new TrainingProgress() {
            @Override
            public void epochEnded(int epoch, Map<String, Double> metrics) {
                shown.add(epoch);
            }
        };
        EpochJudge judge = new EpochJudge(console, null, PrunerSpec.none(), new PrunerHistory(), lost, 5);
        judge.epochEnded(1, Map.of("val_loss", 0.5));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> judge.epochEnded(2, Map.of("val_loss", 0.4)))
                .hasMessage("Writing tracked metrics of run lost failed: No space left on device");
        assertThat(shown).containsExactly(1, 2); // the epoch's line is shown before the trial fails
    }

    @Test
    void aMonitoredValueBeyondTheDivergenceThresholdEndsTheTrialAsDivergedEvenAtTheFinalEpoch() {
        Tags t = new Tags("r");
        EpochJudge loss = new EpochJudge(TrainingProgress.NONE,
                new EarlyStoppingSpec("val_loss", "auto", 5, 0.0, false, 10.0), PrunerSpec.none(), new PrunerHistory(), t, 3);
        loss.epochEnded(1, Map.of("val_loss", 2.3));
        loss.epochEnded(2, Map.of("val_loss", 10.0)); // at the threshold is not beyond it
        assertThatThrownBy(() -> loss.epochEnded(3, Map.of("val_loss", 1.5e9)))
                .isInstanceOf(ai.djl.TrainingDivergedException.class)
                .hasMessage("val_loss 1.50000e+09 at epoch 3 is above training.early_stopping.divergence_threshold 10.0000");
        assertThat(t.tags).containsEntry("diverged_epoch", "3").doesNotContainKey("early_stopped_epoch");

        Tags u = new Tags("u"); // maximized: below the threshold; NaN is left to the loss check
        EpochJudge accuracy = judge(new EarlyStoppingSpec("val_accuracy", "auto", 5, 0.0, false, 0.2),
                PrunerSpec.none(), new PrunerHistory(), u);
        accuracy.epochEnded(1, Map.of("val_accuracy", Double.NaN));
        assertThatThrownBy(() -> accuracy.epochEnded(2, Map.of("val_accuracy", 0.1)))
                .hasMessage("val_accuracy 0.100000 at epoch 2 is below training.early_stopping.divergence_threshold 0.200000");
        assertThat(u.tags).containsEntry("diverged_epoch", "2");
    }

    @Test
    void aDivergedTrialIsNotCountedAsPrunedAtTheSameEpoch() {
        PrunerHistory h = new PrunerHistory();
        h.record("other", 1, 0.1);
        Tags t = new Tags("r");
        EpochJudge j = judge(new EarlyStoppingSpec("val_loss", "min", 5, 0.0, false, 100.0),
                new PrunerSpec("median", "val_loss", "auto", 1, 3, 1), h, t);
        assertThatThrownBy(() -> j.epochEnded(1, Map.of("val_loss", 1e6)))
                .isInstanceOf(ai.djl.TrainingDivergedException.class);
        assertThat(t.tags).containsOnlyKeys("diverged_epoch");
    }

    @Test
    void aContinuedRunsReplayedHistoryKeepsTheEarlyStoppingPatienceCount() {
        EpochJudge j = judge(new EarlyStoppingSpec("val_loss", "auto", 2, 0.0), PrunerSpec.none(),
                new PrunerHistory(), new Tags("r"));
        j.replay(java.util.List.of(new dev.assay.track.MetricPoint(10, 1, 1.0, 0),
                new dev.assay.track.MetricPoint(20, 2, 0.5, 0),
                new dev.assay.track.MetricPoint(30, 3, 0.6, 0)));

        assertThatThrownBy(() -> j.epochEnded(4, Map.of("val_loss", 0.55)))
                .isInstanceOf(EarlyStopException.class)
                .hasMessage("val_loss has not improved for 2 epochs (best 0.500000 at epoch 2)");
    }

    @Test
    void aTaskThatReportsNoEpochIsToldItsEarlyStoppingHadNoEffect() {
        // a plugin task that never called ctx.progress().epochEnded ran all its epochs with early stopping set,
        // completed, and nothing said the rule had been idle (found by a fresh-clone plugin check)
        EpochJudge idle = judge(new EarlyStoppingSpec("val_accuracy", "max", 1, 0.0), PrunerSpec.none(),
                new PrunerHistory(), new Tags("r"));
        assertThat(idle.idleRules("simple-clf")).isEqualTo("training.early_stopping had no effect: task 'simple-clf'"
                + " reported no epoch end (a task calls ctx.progress().epochEnded(epoch, metrics) after each epoch)");
        EpochJudge reporting = judge(new EarlyStoppingSpec("val_accuracy", "max", 5, 0.0), PrunerSpec.none(),
                new PrunerHistory(), new Tags("r"));
        reporting.epochEnded(1, Map.of("val_accuracy", 0.5));
        assertThat(reporting.idleRules("simple-clf")).isNull();
        assertThat(judge(null, PrunerSpec.none(), new PrunerHistory(), new Tags("r")).idleRules("x")).isNull();
    }

    @Test
    void aTrialRunAgainIsComparedWithTheOtherTrialsOnlyNotWithItsOwnEarlierRun() {
        // --rerun pruned a trial that the first session kept: the median counted its own earlier run (and other
        // trials' repeated runs) among the "other trials" (found by a fresh-clone sweep check)
        PrunerHistory h = new PrunerHistory();
        h.startTrial("trial-a", "a-1");
        h.record("a-1", 1, 2.24);
        h.startTrial("trial-b", "b-1");
        h.record("b-1", 1, 2.21);
        h.startTrial("trial-b", "b-2"); // trial b run again: only its newest run counts
        h.record("b-2", 1, 2.20);
        h.startTrial("trial-a", "a-2");
        assertThat(h.othersAt("a-2", 1)).containsExactly(2.20);
        assertThat(h.othersBestUpTo("a-2", 1, true)).containsExactly(2.20);
        h.startTrial("trial-a", "a-2"); // the same run continued keeps its history
        h.record("a-2", 1, 2.5);
        assertThat(h.othersAt("b-2", 1)).containsExactly(2.5);
    }

    @Test
    void earlyStoppingFiresAfterPatienceEpochsWithoutImprovement() {
        Tags tags = new Tags("r");
        EpochJudge j = judge(new EarlyStoppingSpec("val_loss", "auto", 2, 0.0), PrunerSpec.none(),
                new PrunerHistory(), tags);
        j.epochEnded(1, Map.of("val_loss", 1.0));
        j.epochEnded(2, Map.of("val_loss", 0.9));
        j.epochEnded(3, Map.of("val_loss", 0.95));
        assertThatThrownBy(() -> j.epochEnded(4, Map.of("val_loss", 0.91)))
                .isInstanceOf(EarlyStopException.class)
                .hasMessage("val_loss has not improved for 2 epochs (best 0.900000 at epoch 2)")
                .extracting(e -> ((EarlyStopException) e).epoch()).isEqualTo(4);
        assertThat(tags.tags).containsEntry("early_stopped_epoch", "4");
    }

    @Test
    void earlyStoppingOnAccuracyMaximizesAndRespectsMinDelta() {
        EpochJudge j = judge(new EarlyStoppingSpec("val_accuracy", "auto", 1, 0.01), PrunerSpec.none(),
                new PrunerHistory(), new Tags("r"));
        j.epochEnded(1, Map.of("val_accuracy", 0.50));
        j.epochEnded(2, Map.of("val_accuracy", 0.60));
        assertThatThrownBy(() -> j.epochEnded(3, Map.of("val_accuracy", 0.605)))
                .isInstanceOf(EarlyStopException.class);
    }

    @Test
    void medianRulePrunesATrialWorseThanTheMedianOfItsPeers() {
        PrunerHistory h = new PrunerHistory();
        h.record("a", 1, 0.5);
        h.record("a", 2, 0.4);
        h.record("b", 1, 0.6);
        h.record("b", 2, 0.5);
        h.record("c", 1, 0.7);
        PrunerSpec median = new PrunerSpec("median", "val_loss", "auto", 2, 3, 2);
        Tags tags = new Tags("me");
        EpochJudge j = judge(null, median, h, tags);
        j.epochEnded(1, Map.of("val_loss", 0.9));   // before min_epochs: never pruned
        // at epoch 2 the others' bests are a: 0.4, b: 0.5 (c did not reach epoch 2): median 0.45
        assertThatThrownBy(() -> j.epochEnded(2, Map.of("val_loss", 0.46)))
                .isInstanceOf(TrialPrunedException.class)
                .hasMessage("pruned at epoch 2: best val_loss 0.460000 is worse than the median"
                        + " 0.450000 of 2 other trials at this epoch");
        assertThat(tags.tags).containsEntry("pruned_epoch", "2");

        EpochJudge good = judge(null, median, h, new Tags("good"));
        good.epochEnded(1, Map.of("val_loss", 0.9));
        good.epochEnded(2, Map.of("val_loss", 0.44));
    }

    @Test
    void ashaKeepsOnlyTheTopOneOverEtaAtEachRung() {
        PrunerHistory h = new PrunerHistory();
        for (int i = 0; i < 5; i++) {
            h.record("peer" + i, 1, 0.1 * (i + 1));   // 0.1 .. 0.5 at epoch 1
        }
        PrunerSpec asha = new PrunerSpec("asha", "val_loss", "min", 1, 3, 2);
        // n = 6 at rung 1, keep = 2: a value better than all but one peer goes on ...
        judge(null, asha, h, new Tags("second")).epochEnded(1, Map.of("val_loss", 0.15));
        // ... the fourth best (after "second" joined the rung) is pruned.
        assertThatThrownBy(() -> judge(null, asha, h, new Tags("third"))
                .epochEnded(1, Map.of("val_loss", 0.25)))
                .isInstanceOf(TrialPrunedException.class)
                .hasMessageContaining("ranks 4 of 7 at rung epoch 1; only the top 2 go on");
    }

    @Test
    void ashaJudgesOnlyAtRungs() {
        PrunerHistory h = new PrunerHistory();
        h.record("peer", 2, 0.1);
        PrunerSpec asha = new PrunerSpec("asha", "val_loss", "min", 1, 3, 2);
        EpochJudge j = judge(null, asha, h, new Tags("me"));
        j.epochEnded(2, Map.of("val_loss", 9.0));   // rungs are 1, 3, 9, ...: epoch 2 is not one
        j.epochEnded(3, Map.of("val_loss", 9.0));   // rung 3: alone there, so it goes on
    }

    @Test
    void aMonitorThatIsNoEpochMetricFailsTheTrialAtItsFirstEpochNamingTheClosest() {
        Map<String, Double> epoch = Map.of("train_loss", 0.7, "val_loss", 0.8, "val_accuracy", 0.6);
        EpochJudge misspelled = judge(new EarlyStoppingSpec("val_acuracy", "auto", 2, 0.0), PrunerSpec.none(),
                new PrunerHistory(), new Tags("r"));
        assertThatThrownBy(() -> misspelled.epochEnded(1, epoch))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("training.early_stopping.monitor 'val_acuracy' is not an epoch metric of this trial;"
                        + " did you mean 'val_accuracy'? Its epoch metrics are train_loss, val_accuracy, val_loss.");

        PrunerSpec median = new PrunerSpec("median", "test_accuracy", "auto", 1, 1, 1);
        assertThatThrownBy(() -> judge(null, median, new PrunerHistory(), new Tags("p")).epochEnded(1, epoch))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("sweep.pruner.monitor 'test_accuracy' is not an epoch metric of this trial"
                        + " (test metrics are logged once, after training); did you mean 'val_accuracy'?");

        EpochJudge far = judge(new EarlyStoppingSpec("bleu_score", "auto", 2, 0.0), PrunerSpec.none(),
                new PrunerHistory(), new Tags("f"));
        assertThatThrownBy(() -> far.epochEnded(1, epoch)) // no close name: the sentence still ends
                .hasMessage("training.early_stopping.monitor 'bleu_score' is not an epoch metric of this trial."
                        + " Its epoch metrics are train_loss, val_accuracy, val_loss.");

        // no pruner and no early stopping: nothing is required
        judge(null, PrunerSpec.none(), new PrunerHistory(), new Tags("n")).epochEnded(1, Map.of("d_loss", 1.0));
    }

    @Test
    void neitherRuleEndsTrainingAtTheLastEpoch() {
        // ASHA's top rung is the last epoch: a trial that had trained every epoch was pruned there and lost its
        // test metrics; early stopping at the last epoch left no final checkpoint
        PrunerSpec asha = new PrunerSpec("asha", "val_loss", "min", 1, 2, 1); // rungs 1, 2, 4
        PrunerHistory h = new PrunerHistory();
        new EpochJudge(TrainingProgress.NONE, null, asha, h, new Tags("first"), 2).epochEnded(1, Map.of("val_loss", 0.1));
        new EpochJudge(TrainingProgress.NONE, null, asha, h, new Tags("first"), 2).epochEnded(2, Map.of("val_loss", 0.1));
        Tags last = new Tags("last");
        EpochJudge worse = new EpochJudge(TrainingProgress.NONE, null, asha, h, last, 2);
        assertThatThrownBy(() -> new EpochJudge(TrainingProgress.NONE, null, asha, h, new Tags("early"), 3)
                .epochEnded(2, Map.of("val_loss", 0.9))).isInstanceOf(dev.assay.train.TrialPrunedException.class);
        worse.epochEnded(1, Map.of("val_loss", 0.05));
        worse.epochEnded(2, Map.of("val_loss", 0.9)); // ranks last at rung 2 = its last epoch: it completes
        assertThat(last.tags).doesNotContainKey("pruned_epoch");

        java.util.List<Integer> improvements = new java.util.ArrayList<>();
        EpochJudge stopping = new EpochJudge(TrainingProgress.NONE, new EarlyStoppingSpec("val_loss", "auto", 1, 0.0),
                PrunerSpec.none(), new PrunerHistory(), new Tags("s"), 3).onImprovement(improvements::add);
        stopping.epochEnded(1, Map.of("val_loss", 0.5));
        stopping.epochEnded(2, Map.of("val_loss", 0.4));
        stopping.epochEnded(3, Map.of("val_loss", 0.45)); // no improvement at the last epoch: training ends anyway
        stopping.epochEnded(3, Map.of("val_loss", 0.3)); // an improvement there still counts for the best weights
        assertThat(improvements).containsExactly(1, 2, 3);
        EpochJudge earlier = new EpochJudge(TrainingProgress.NONE, new EarlyStoppingSpec("val_loss", "auto", 1, 0.0),
                PrunerSpec.none(), new PrunerHistory(), new Tags("e"), 4);
        earlier.epochEnded(1, Map.of("val_loss", 0.5));
        assertThatThrownBy(() -> earlier.epochEnded(2, Map.of("val_loss", 0.6))).isInstanceOf(EarlyStopException.class);
    }
}
