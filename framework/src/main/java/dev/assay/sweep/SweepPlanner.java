package dev.assay.sweep;

import dev.assay.spec.Assignment;
import dev.assay.spec.ExperimentSpec;
import dev.assay.spec.SpecBinder;
import dev.assay.spec.SourceLocation;
import dev.assay.spec.SpecNode;
import dev.assay.spec.SweepAxis;
import dev.assay.spec.TrainingSpec;
import dev.assay.spec.TrialConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expands an experiment into its trials, in a stable order: for each variant (file order), each
 * point (for {@code grid} the Cartesian product of {@code sweep.parameters} in file order, the
 * last parameter varying fastest, like {@code itertools.product}; for {@code random} the
 * {@code n_trials} points drawn from one stream seeded with {@code sweep.seed}), each repeat. Values are applied in the order
 * variant, grid point, command-line overrides (so an override always wins; a grid axis on the
 * same path as an override is dropped). Every trial's configuration is bound and checked before
 * anything runs; trials whose key repeats an earlier one are dropped, so each distinct
 * configuration runs exactly once.
 */
public final class SweepPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(SweepPlanner.class);

    private SweepPlanner() {}

    /**
     * Plans the trials.
     *
     * @param spec the experiment
     * @param binder the binder holding the plugin registry
     * @return the trials, indexed from 0 in order
     * @throws dev.assay.spec.SpecException if any trial's configuration is invalid (the location
     *     points at the base value or at the sweep value that made it invalid) or the sweep watches
     *     a metric a trial's task does not log ({@link SpecBinder#checkSweepMetrics})
     */
    public static List<TrialSpec> plan(ExperimentSpec spec, SpecBinder binder) {
        Set<String> overridden = new LinkedHashSet<>();
        spec.overrides().forEach(a -> overridden.add(a.path()));
        Map<String, SweepAxis> axes = new LinkedHashMap<>(spec.sweep().parameters());
        // an override replaces its whole subtree: an axis under it (training.optimizer={name: sgd} against a
        // training.optimizer.learning_rate grid) was applied, erased, and still named the runs
        axes.keySet().removeIf(path -> overridden.stream().anyMatch(o -> path.equals(o) || path.startsWith(o + ".")));
        if (spec.sweep().strategy().equals("grid")) {
            checkGridSize(spec, axes);
        } else if (spec.sweep().strategy().equals("random")) {
            checkRandomSize(spec);
        }
        List<Map<String, SpecNode>> points = switch (spec.sweep().strategy()) {
            case "random" -> sample(axes, spec.sweep().trials(), spec.sweep().seed());
            case "tpe" -> startup(spec, axes);
            default -> product(axes);
        };
        Map<String, List<Assignment>> variants = spec.sweep().variants().isEmpty()
                ? Map.of("", List.of()) : spec.sweep().variants();
        if (!points.isEmpty()) {
            checkRangeEnds(spec, binder, axes, variants.entrySet().iterator().next(), points.get(0));
        }
        List<TrialSpec> trials = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        List<String> repeated = new ArrayList<>();
        for (Map.Entry<String, List<Assignment>> variant : variants.entrySet()) {
            for (Map<String, SpecNode> point : points) {
                for (int r = 0; r < spec.sweep().repeat(); r++) {
                    TrialSpec t = trial(spec, binder, variant, point, r, trials.size());
                    if (seen.add(t.trialKey())) {
                        trials.add(t);
                    } else {
                        repeated.add(t.runName());
                    }
                }
            }
        }
        if (!repeated.isEmpty()) { // one line: a --sweep over what variants set printed one a trial, 16 of them
            LOG.warn("{} planned trial(s) repeat the configuration of an earlier one and run once: {}", repeated.size(),
                    repeated.size() <= 5 ? String.join(", ", repeated)
                            : String.join(", ", repeated.subList(0, 5)) + ", ... (" + (repeated.size() - 5) + " more)");
        }
        binder.checkSweepMetrics(spec, trials.stream().map(TrialSpec::config).toList());
        warnIdleRules(spec, trials);
        return List.copyOf(trials);
    }

    /**
     * Warns, once each, about a pruner or an early-stopping rule that cannot act in some planned
     * trials: neither ends training at the last epoch, a pruner judges epochs {@code min_epochs}
     * and later, and early stopping first can at epoch {@code 1 + patience} (the first epoch sets
     * the best value). So a pruner with {@code min_epochs ≥ epochs}, or early stopping with {@code
     * patience ≥ epochs - 1}, leaves the trial to train every epoch, as if it were not set (a
     * pruner with {@code min_epochs: 5} over 3-epoch trials passed silently).
     */
    private static void warnIdleRules(ExperimentSpec spec, List<TrialSpec> trials) {
        dev.assay.spec.PrunerSpec pruner = spec.sweep().pruner();
        if (!pruner.name().equals("none")) {
            List<TrialSpec> idle = trials.stream()
                    .filter(t -> pruner.minEpochs() >= t.config().training().epochs()).toList();
            if (!idle.isEmpty()) {
                LOG.warn("sweep.pruner ({}) cannot prune {}: it judges epochs from min_epochs {} on and never the"
                        + " last epoch, and {} {} (lower min_epochs or train longer)", pruner.name(),
                        idle.size() == trials.size() ? "any trial" : idle.size() + " of " + trials.size() + " trials",
                        pruner.minEpochs(), idle.size() == 1 ? "that trial trains" : "those trials train",
                        epochsText(idle));
            }
        }
        List<TrialSpec> stepped = trials.stream()
                .filter(t -> t.config().training().optimizer().schedule().name().equals("step")).toList();
        List<TrialSpec> neverDecays = stepped.stream().filter(t -> t.config().training().optimizer().schedule()
                .stepEpochs() >= t.config().training().epochs()).toList();
        if (!neverDecays.isEmpty()) {
            // step_epochs beyond the trial's epochs was accepted: a constant rate under the name of a step schedule
            LOG.warn("training.optimizer.schedule (step) never decays the learning rate of {}: it decays after every"
                    + " step_epochs ({}) epochs, and {} {} (lower step_epochs or train longer)",
                    neverDecays.size() == trials.size() ? "any trial" : neverDecays.size() + " of " + stepped.size()
                            + " trials" + (stepped.size() < trials.size() ? " with a step schedule" : ""),
                    range(neverDecays, t -> t.config().training().optimizer().schedule().stepEpochs()),
                    neverDecays.size() == 1 ? "that trial trains" : "those trials train", epochsText(neverDecays));
        }
        List<TrialSpec> stopping = trials.stream().filter(t -> t.config().training().earlyStopping() != null).toList();
        List<TrialSpec> idle = stopping.stream().filter(t -> t.config().training().earlyStopping().patience()
                >= t.config().training().epochs() - 1).toList();
        if (!idle.isEmpty()) {
            int mostPatience = idle.stream().mapToInt(t -> t.config().training().earlyStopping().patience()).max()
                    .getAsInt();
            // patience 1 is the least: "lower patience" was advice no one could follow
            String remedy = mostPatience <= 1 ? "train at least 3 epochs: patience is already at its least, 1"
                    : "lower patience or train at least " + (mostPatience + 2) + " epochs";
            LOG.warn("training.early_stopping cannot stop {}: the first epoch sets the best value, a stop needs"
                    + " patience ({}) epochs without improvement after it and never comes at the last epoch, and {} {}"
                    + " (" + remedy + ")",
                    idle.size() == trials.size() ? "any trial" : idle.size() + " of " + stopping.size() + " trials"
                            + (stopping.size() < trials.size() ? " with early stopping" : ""),
                    range(idle, t -> t.config().training().earlyStopping().patience()),
                    idle.size() == 1 ? "that trial trains" : "those trials train", epochsText(idle));
        }
    }

    /** "3", or "2-4" when the trials differ. */
    private static String range(List<TrialSpec> trials, java.util.function.ToIntFunction<TrialSpec> value) {
        int lo = trials.stream().mapToInt(value).min().orElse(0);
        int hi = trials.stream().mapToInt(value).max().orElse(0);
        return lo == hi ? String.valueOf(lo) : lo + "-" + hi;
    }

    /** "3 epochs", or "2-4 epochs" when the trials differ. */
    private static String epochsText(List<TrialSpec> trials) {
        int hi = trials.stream().mapToInt(t -> t.config().training().epochs()).max().orElse(0);
        return range(trials, t -> t.config().training().epochs()) + (hi == 1 ? " epoch" : " epochs");
    }

    /** The most trials a grid may plan, as for {@code sweep.n_trials} of a random search: 100,000. */
    public static final long MAX_GRID_TRIALS = 100_000;

    /**
     * Refuses a grid of more than {@link #MAX_GRID_TRIALS} trials before planning it: a grid of 10⁶
     * was built and checked in memory and ended, after minutes, in an {@code OutOfMemoryError}.
     */
    private static void checkGridSize(ExperimentSpec spec, Map<String, SweepAxis> axes) {
        long trials = Math.max(1, spec.sweep().variants().size()) * (long) spec.sweep().repeat();
        StringBuilder sizes = new StringBuilder();
        SweepAxis first = null;
        for (Map.Entry<String, SweepAxis> axis : axes.entrySet()) {
            if (axis.getValue() instanceof SweepAxis.Values v) {
                trials = Math.multiplyHigh(trials, v.values().size()) != 0 ? Long.MAX_VALUE : trials * v.values().size();
                sizes.append(sizes.length() == 0 ? "" : " × ").append(v.values().size());
                first = first == null ? v : first;
            }
        }
        if (trials > MAX_GRID_TRIALS && first != null) {
            throw new dev.assay.spec.SpecException(first.location(), "sweep.parameters", "the grid has "
                    + (trials == Long.MAX_VALUE ? "more than 9.2e18" : String.format(java.util.Locale.ROOT, "%,d", trials))
                    + " trials (" + sizes + (spec.sweep().variants().size() > 1 ? " × " + spec.sweep().variants().size()
                    + " variants" : "") + (spec.sweep().repeat() > 1 ? " × " + spec.sweep().repeat() + " repeats" : "")
                    + "), more than " + String.format(java.util.Locale.ROOT, "%,d", MAX_GRID_TRIALS) + "; sample it"
                    + " with strategy: random (n_trials) or tpe instead");
        }
    }

    /**
     * Refuses a random search of more than {@link #MAX_GRID_TRIALS} trials in all ({@code n_trials}
     * × variants × repeats) before planning it, as a grid's: {@code n_trials} alone was capped, and
     * 100,000 draws × 2 variants × 5 repeats ran out of heap after minutes (found by a scale check).
     */
    private static void checkRandomSize(ExperimentSpec spec) {
        int variants = Math.max(1, spec.sweep().variants().size());
        long trials = (long) spec.sweep().trials() * variants * spec.sweep().repeat();
        if (trials > MAX_GRID_TRIALS) {
            SpecNode at = spec.file() != null && spec.file().entries().get("sweep") != null
                    ? spec.file().entries().get("sweep") : spec.file();
            throw new dev.assay.spec.SpecException(at == null ? null : at.location(), "sweep", "the random search has "
                    + String.format(java.util.Locale.ROOT, "%,d", trials) + " trials (n_trials "
                    + String.format(java.util.Locale.ROOT, "%,d", spec.sweep().trials())
                    + (variants > 1 ? " × " + variants + " variants" : "") + (spec.sweep().repeat() > 1 ? " × "
                    + spec.sweep().repeat() + " repeats" : "") + "), more than "
                    + String.format(java.util.Locale.ROOT, "%,d", MAX_GRID_TRIALS) + "; lower n_trials or repeat");
        }
    }

    /**
     * Binds a configuration with each end of every bounded distribution ({@code uniform}, {@code
     * loguniform}, {@code int_uniform}; not {@code normal}, which has none) in turn, the other axes
     * at a drawn point, so that a range the parameter cannot take (an {@code int_uniform} beyond 32
     * bits, a negative end for a rate ≥ 0) is refused when the file is read, at the distribution,
     * rather than when a drawn value happens to fall outside it. Likewise every value of a choice
     * list under {@code random} or {@code tpe}, drawn or not ({@code grid} plans them all anyway).
     */
    private static void checkRangeEnds(ExperimentSpec spec, SpecBinder binder, Map<String, SweepAxis> axes,
            Map.Entry<String, List<Assignment>> variant, Map<String, SpecNode> drawn) {
        Map<String, SpecNode> lows = new LinkedHashMap<>(drawn);
        Map<String, SpecNode> highs = new LinkedHashMap<>();
        axes.forEach((path, axis) -> {
            if (axis instanceof SweepAxis.Distribution d && !d.kind().equals("normal")) {
                // an int_uniform's ends round inward, as its draws do
                lows.put(path, end(d, d.kind().equals("int_uniform") ? Math.ceil(d.a()) : d.a()));
                highs.put(path, end(d, d.kind().equals("int_uniform") ? Math.floor(d.b()) : d.b()));
            }
        });
        // a choice list under random or tpe: each value is checked, drawn or not (a --sweep batch_size=32.5,64
        // planned 4 trials that all drew 64, and 32.5 went unchecked until a larger n_trials drew it)
        axes.forEach((path, axis) -> {
            if (axis instanceof SweepAxis.Values v && !spec.sweep().strategy().equals("grid")) {
                for (SpecNode value : v.values()) {
                    Map<String, SpecNode> point = new LinkedHashMap<>(drawn);
                    point.put(path, value);
                    trial(spec, binder, variant, point, 0, 0);
                }
            }
        });
        if (highs.isEmpty()) {
            return;
        }
        trial(spec, binder, variant, lows, 0, 0); // every range at its low end
        for (Map.Entry<String, SpecNode> high : highs.entrySet()) { // then each at its high end
            Map<String, SpecNode> point = new LinkedHashMap<>(lows);
            point.put(high.getKey(), high.getValue());
            trial(spec, binder, variant, point, 0, 0);
        }
    }

    private static SpecNode end(SweepAxis.Distribution d, double value) {
        return new SpecNode.ScalarNode(d.kind().equals("int_uniform") ? (Object) (long) value : (Object) value,
                d.location());
    }

    private static TrialSpec trial(ExperimentSpec spec, SpecBinder binder,
            Map.Entry<String, List<Assignment>> variant, Map<String, SpecNode> point, int repeat,
            int index) {
        SpecNode tree = spec.base();
        for (Assignment a : variant.getValue()) {
            tree = a.applyTo(tree);
        }
        Map<String, Object> sweepValues = new LinkedHashMap<>();
        for (Map.Entry<String, SpecNode> e : point.entrySet()) {
            SweepAxis axis = spec.sweep().parameters().get(e.getKey());
            // an unknown key points at the path as written, a bad value at the value
            tree = new Assignment(e.getKey(), e.getValue(), axis != null ? axis.keyLocation()
                    : e.getValue().location()).applyTo(tree);
            sweepValues.put(e.getKey(), e.getValue().toPlain());
        }
        for (Assignment a : spec.overrides()) {
            tree = a.applyTo(tree);
        }
        TrialConfig first;
        try {
            first = binder.bind((SpecNode.MapNode) tree);
        } catch (dev.assay.spec.SpecException e) {
            throw inTrial(e, variant, point, spec.sweep().parameters());
        }
        long seed;
        try {
            seed = Math.addExact(first.training().seed(), repeat);
        } catch (ArithmeticException e) { // seed 2^63-1 with repeats wrapped to -2^63
            // at the seed as written (file, sweep or override), not at the file's first line
            throw new dev.assay.spec.SpecException(valueLocation(tree, TrainingSpec.SEED_PARAM, spec.base().location()),
                    TrainingSpec.SEED_PARAM, "seed " + first.training().seed() + " + repeat " + repeat
                    + " overflows a 64-bit seed; use a smaller seed");
        }
        TrialConfig config = repeat == 0 ? first : binder.bind((SpecNode.MapNode) new Assignment(
                TrainingSpec.SEED_PARAM, new SpecNode.ScalarNode(seed, spec.base().location()),
                spec.base().location()).applyTo(tree));
        return new TrialSpec(index, variant.getKey(), sweepValues, repeat, seed,
                TrialKeys.of(config.resolved()), config);
    }

    /**
     * Adds which variant and sweep values made the configuration invalid to an error located
     * elsewhere (a base value that only this variant's optimizer does not take, say), so that the
     * message does not blame a line that is valid for the base configuration without saying why.
     */
    private static dev.assay.spec.SpecException inTrial(dev.assay.spec.SpecException e,
            Map.Entry<String, List<Assignment>> variant, Map<String, SpecNode> point, Map<String, SweepAxis> axes) {
        for (Map.Entry<String, SpecNode> drawn : point.entrySet()) {
            // a value drawn from a distribution: it is not in the file, so say where it came from
            if (axes.get(drawn.getKey()) instanceof SweepAxis.Distribution d && d.location().equals(e.location())) {
                String hint = e.problem().contains("a list") ? "; a distribution draws one number: for a list-valued"
                        + " parameter give the lists to choose from, {values: [[...], [...]]}"
                        : !d.kind().equals("int_uniform") && e.problem().contains("integer")
                        ? "; it draws real numbers: for an integer parameter use int_uniform"
                        : d.kind().equals("normal") ? "; a normal distribution is unbounded: for a parameter with a"
                                + " range use uniform or loguniform" : "";
                return new dev.assay.spec.SpecException(e.location(), e.key(), e.problem() + " (a value the " + d.kind()
                        + " distribution drew" + hint + ")");
            }
        }
        Set<SourceLocation> own = new java.util.HashSet<>();
        variant.getValue().forEach(a -> {
            own.add(a.keyLocation());
            own.add(a.value().location());
        });
        point.values().forEach(v -> own.add(v.location()));
        List<String> context = new ArrayList<>();
        if (!variant.getKey().isEmpty()) {
            context.add("variant '" + variant.getKey() + "'");
        }
        boolean fromPoint = point.values().stream().anyMatch(v -> v.location().equals(e.location()));
        if (fromPoint && !variant.getKey().isEmpty()) {
            // a swept value (a --sweep argument, say) that this variant's optimizer or model does not
            // take: "unknown key" alone read as wrong for a key the other variants take
            return new dev.assay.spec.SpecException(e.location(), e.key(), e.problem() + " (in the trial with"
                    + " variant '" + variant.getKey() + "')");
        }
        point.forEach((path, v) -> context.add(path + "=" + v.toPlain()));
        if (context.isEmpty() || own.contains(e.location())) {
            return e;
        }
        return new dev.assay.spec.SpecException(e.location(), e.key(), e.problem() + " (in the trial with "
                + String.join(", ", context) + ")");
    }

    /**
     * For {@code tpe}, the plan holds only the random start-up points (which the sampler proposes
     * with an empty history); the rest are proposed one by one while the sweep runs.
     */
    private static List<Map<String, SpecNode>> startup(ExperimentSpec spec, Map<String, SweepAxis> axes) {
        TpeSampler sampler = new TpeSampler(axes, spec.sweep().seed(), spec.sweep().startupTrials());
        int n = Math.min(spec.sweep().startupTrials(), spec.sweep().trials());
        List<Map<String, SpecNode>> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            points.add(sampler.propose(i, List.of()));
        }
        return points;
    }

    /**
     * Binds one proposed point (from an adaptive strategy) into a trial: no variant, repeat 0.
     *
     * @param spec the experiment
     * @param binder the binder
     * @param point a value per swept path
     * @param index the trial number
     * @return the trial
     * @throws dev.assay.spec.SpecException if the point makes the configuration invalid
     */
    public static TrialSpec bindPoint(ExperimentSpec spec, SpecBinder binder,
            Map<String, SpecNode> point, int index) {
        return trial(spec, binder, Map.entry("", List.of()), point, 0, index);
    }

    /**
     * The swept paths of an experiment, less those fixed by command-line overrides.
     *
     * @param spec the experiment
     * @return the axes, in file order
     */
    public static Map<String, SweepAxis> axes(ExperimentSpec spec) {
        Map<String, SweepAxis> axes = new LinkedHashMap<>(spec.sweep().parameters());
        spec.overrides().forEach(a -> axes.remove(a.path()));
        return axes;
    }

    /**
     * Random search: {@code n} points, each axis drawn in file order from one seeded stream, so
     * the same file and seed give the same points. The stream is {@code java.util.Random} seeded
     * with the sweep's seed mixed by SplitMix64 (Steele, Lea and Flood 2014, as {@link
     * java.util.SplittableRandom} mixes it), as {@link TpeSampler} seeds its own: seeded with the
     * sweep's seed itself, neighbouring seeds gave nearly the same first draw (a dropout of
     * 0.3648-0.3656 as trial 0 for seeds 0, 1, 2, 10 and 50 over [0, 0.5]: {@code Random}'s first
     * output moves by about 1e-4 of its range per unit of seed), so searches meant to differ by
     * their seed began alike.
     */
    static List<Map<String, SpecNode>> sample(Map<String, SweepAxis> axes, int n, long seed) {
        Random random = new Random(new java.util.SplittableRandom(seed).nextLong());
        List<Map<String, SpecNode>> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, SpecNode> point = new LinkedHashMap<>();
            axes.forEach((path, axis) -> point.put(path, axis.sample(random)));
            points.add(point);
        }
        return points;
    }

    /** The Cartesian product of the axes, last axis fastest; one empty point when there are none. */
    static List<Map<String, SpecNode>> product(Map<String, SweepAxis> axes) {
        List<Map<String, SpecNode>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Map.Entry<String, SweepAxis> axis : axes.entrySet()) {
            List<Map<String, SpecNode>> next = new ArrayList<>();
            for (Map<String, SpecNode> p : points) {
                for (SpecNode v : ((SweepAxis.Values) axis.getValue()).values()) {
                    Map<String, SpecNode> q = new LinkedHashMap<>(p);
                    q.put(axis.getKey(), v);
                    next.add(q);
                }
            }
            points = next;
        }
        return points;
    }

    /** Where the value at a dotted path of a trial's tree is written, or {@code otherwise} if absent. */
    static SourceLocation valueLocation(SpecNode tree, String path, SourceLocation otherwise) {
        SpecNode node = tree;
        for (String key : path.split("\\.")) {
            if (!(node instanceof SpecNode.MapNode map) || !map.entries().containsKey(key)) {
                return otherwise;
            }
            node = map.entries().get(key);
        }
        return node.location();
    }
}
