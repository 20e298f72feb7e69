package dev.assay.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.plugin.Names;
import dev.assay.spec.ExperimentSpec;
import dev.assay.sweep.TpeSampler;
import dev.assay.track.MetricSummary;
import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The history a {@code tpe} sweep's proposals learn from: the experiment's completed, diverged
 * and pruned runs as (swept values, objective to minimize) observations.
 */
final class TpeHistory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TpeHistory() {}

    /**
     * Completed, diverged and pruned runs of trials numbered below {@code before}, as (swept
     * values, objective to minimize): proposal {@code i} depends only on trials {@code 0..i-1}, so
     * rerunning the sweep proposes the same trials again and skips the finished ones. The
     * objective is a completed run's best value of {@code sweep.objective} (its minimum, or minus
     * its maximum when maximized), and {@link Double#POSITIVE_INFINITY} for a diverged or pruned
     * run (worse than any completed one, as Optuna ranks pruned trials after complete ones); failed
     * and interrupted runs say nothing about their values and are left out.
     *
     * @param spec the experiment
     * @param runs the experiment's runs, any status
     * @param paths the swept paths, whose params become an observation's values
     * @param before the index of the trial about to be proposed
     * @return the observations, in the order of {@code runs}
     * @throws IllegalArgumentException if trials completed but none logged the objective (a
     *     misspelled {@code sweep.objective}: TPE would see no history and search at random), naming
     *     the closest metric they logged and all of them; the finished runs stay recorded
     */
    static List<TpeSampler.Observation> observations(ExperimentSpec spec, List<RunRecord> runs, Set<String> paths,
            int before) {
        boolean min = spec.sweep().minimizeObjective();
        List<TpeSampler.Observation> out = new ArrayList<>();
        Set<String> logged = new TreeSet<>();
        for (RunRecord r : runs) {
            if (r.trialIndex() >= before) {
                continue;
            }
            if (r.status() == RunStatus.DIVERGED || r.status() == RunStatus.PRUNED) {
                // worse than any finished trial: the sampler keeps its values in the bad group
                out.add(new TpeSampler.Observation(values(r, paths), Double.POSITIVE_INFINITY));
                continue;
            }
            if (r.status() != RunStatus.COMPLETED) {
                continue;
            }
            logged.addAll(r.metrics().keySet());
            MetricSummary s = r.metrics().get(spec.sweep().objective());
            if (s == null) {
                continue;
            }
            out.add(new TpeSampler.Observation(values(r, paths), min ? s.min() : -s.max()));
        }
        if (out.stream().noneMatch(o -> Double.isFinite(o.objective())) && !logged.isEmpty()) {
            throw new IllegalArgumentException("sweep.objective '" + spec.sweep().objective() + "' of experiment '"
                    + spec.name() + "' was logged by none of its completed trials"
                    + Names.didYouMean(spec.sweep().objective(), logged, ".") + " They logged "
                    + String.join(", ", logged) + ". The finished trials stay recorded; fix the name and run"
                    + " the experiment again to go on.");
        }
        return out;
    }

    /** A run's swept values, by path. */
    private static Map<String, Object> values(RunRecord r, Set<String> paths) {
        Map<String, Object> values = new LinkedHashMap<>();
        paths.forEach(p -> values.put(p, parse(r.params().get(p))));
        return values;
    }

    /** A stored param's text as the JSON value it was written from, else the text itself. */
    private static Object parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            return text;
        }
    }
}
