package dev.assay.run;

import dev.assay.spec.ExperimentSpec;
import dev.assay.spec.SpecBinder;
import dev.assay.spec.SweepAxis;
import dev.assay.sweep.SweepPlanner;
import dev.assay.sweep.TpeSampler;
import dev.assay.sweep.TrialSpec;
import dev.assay.track.RunRecord;
import dev.assay.track.TrackingStore;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trials of a {@code tpe} sweep, one at a time ({@link SweepRunner#runAdaptive}): trial numbers
 * {@code 0..n_trials-1}; a number that already finished in the store, in the same search ({@link
 * TpeSearch}), is skipped (a rerun resumes);
 * each other one gets the sampler's proposal from the finished trials before it. A proposal that
 * repeats a finished trial's configuration would train nothing and, the history being the same,
 * come back at every later number, using up the budget (found by a fresh-clone check: 4 of 6 trials
 * of a 3-value space); it is drawn again at random, as a start-up proposal, up to {@value
 * #MAX_REDRAWS} times, after which the sweep ends, saying so. Not thread-safe.
 */
final class TpeProposals {

    private static final Logger LOG = LoggerFactory.getLogger(TpeProposals.class);

    /** Random redraws for a proposal that repeats a finished trial, before the sweep ends: 100. */
    static final int MAX_REDRAWS = 100;

    private final ExperimentSpec spec;
    private final SpecBinder binder;
    private final TrackingStore store;
    private final String search;
    private final Map<String, SweepAxis> axes;
    private final TpeSampler sampler;
    private int next;

    /**
     * Creates the proposals of a sweep.
     *
     * @param spec the experiment, with {@code sweep.strategy: tpe}
     * @param binder binds each proposal into a trial
     * @param store where finished trials are read
     * @param search the search's key ({@link TpeSearch#key}): only its runs are counted and learnt from
     */
    TpeProposals(ExperimentSpec spec, SpecBinder binder, TrackingStore store, String search) {
        this.spec = spec;
        this.binder = binder;
        this.store = store;
        this.search = search;
        this.axes = SweepPlanner.axes(spec);
        this.sampler = new TpeSampler(axes, spec.sweep().seed(), spec.sweep().startupTrials());
    }

    /**
     * Returns the next trial to run.
     *
     * @return the trial, or null when the budget is spent or no new configuration can be drawn
     * @throws dev.assay.spec.SpecException if a proposal makes the configuration invalid
     * @throws dev.assay.track.TrackingException if the store cannot be read
     */
    TrialSpec next() {
        while (next < spec.sweep().trials()) {
            int index = next++;
            // this search's runs: a changed file's, or a grid's in the same experiment, are another search
            List<RunRecord> runs = store.runs(spec.name()).stream().filter(r -> TpeSearch.member(r, search)).toList();
            if (runs.stream().anyMatch(r -> r.trialIndex() == index && TrialRuns.FINAL.contains(r.status()))) {
                LOG.info("Trial {} already finished; proposing the next", index);
                continue;
            }
            TrialSpec t = SweepPlanner.bindPoint(spec, binder,
                    sampler.propose(index, TpeHistory.observations(spec, runs, axes.keySet(), index)), index);
            int attempt = 0;
            while (finished(t) && attempt < MAX_REDRAWS) {
                attempt++;
                t = SweepPlanner.bindPoint(spec, binder, sampler.proposeAtRandom(index, attempt), index);
            }
            if (finished(t)) {
                LOG.warn("Trial {}: every one of {} proposals repeated a finished trial; the search space seems to"
                        + " hold no configuration left to try, so the sweep ends here", index, MAX_REDRAWS + 1);
                return null;
            }
            if (attempt > 0) {
                LOG.info("Trial {}: TPE proposed a configuration already finished; drawn at random instead"
                        + " (attempt {})", index, attempt);
            }
            return t;
        }
        return null;
    }

    /** Whether a trial's configuration has a finished run (completed, diverged or pruned). */
    private boolean finished(TrialSpec trial) {
        return store.trialStatuses(spec.name(), trial.trialKey()).stream().anyMatch(TrialRuns.FINAL::contains);
    }
}
