package dev.assay.sweep;

import dev.assay.spec.SpecNode;
import dev.assay.spec.SweepAxis;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio &amp; Kégl 2011, "Algorithms
 * for Hyper-Parameter Optimization"), univariate as in Optuna's default sampler. The first
 * {@code startup} points are random. After that the finished trials are split at the
 * {@code gamma} quantile of the objective into good and bad; for each axis a Parzen density
 * {@code l(x)} of the good values and {@code g(x)} of the bad ones (each with the axis' prior as
 * one more component) are built, {@code candidates} values are drawn from {@code l}, and the one
 * with the largest {@code l(x) / g(x)} (the expected-improvement criterion of the paper) is
 * proposed. Lists are categorical (counts + 1); {@code loguniform} axes are modelled in log space;
 * {@code int_uniform} values are rounded. Each proposal uses its own {@code Random} derived from
 * the seed and the trial index, so the same history gives the same proposal.
 */
public final class TpeSampler {

    /** Default good-quantile γ (Bergstra et al. 2011 use 0.15-0.25). */
    public static final double GAMMA = 0.25;
    /** Default number of candidates drawn from l(x) per axis (as in Optuna). */
    public static final int CANDIDATES = 24;

    private final Map<String, SweepAxis> axes;
    private final long seed;
    private final int startup;

    /**
     * One finished trial.
     *
     * @param values the swept values by dotted path, as plain Java values
     * @param objective the value to minimize (negate a metric to maximize)
     */
    public record Observation(Map<String, Object> values, double objective) {}

    /**
     * Creates the sampler.
     *
     * @param axes the swept paths, in file order
     * @param seed the seed
     * @param startup random proposals before the model is used (≥ 1)
     * @throws IllegalArgumentException if {@code startup} is below 1
     */
    public TpeSampler(Map<String, SweepAxis> axes, long seed, int startup) {
        if (startup < 1) {
            throw new IllegalArgumentException("TPE needs at least 1 random start-up trial, got " + startup);
        }
        this.axes = new LinkedHashMap<>(axes);
        this.seed = seed;
        this.startup = startup;
    }

    /**
     * Proposes the values of trial {@code index}.
     *
     * @param index the 0-based trial number
     * @param history finished trials: a finite objective, or {@link Double#POSITIVE_INFINITY} for a
     *     trial that diverged or was pruned (always in the bad group: its values are where not to
     *     look; ignored, a sweep kept proposing learning rates where every trial had diverged);
     *     other non-finite objectives are ignored
     * @return a value per axis, in axis order
     */
    public Map<String, SpecNode> propose(int index, List<Observation> history) {
        // java.util.Random's first outputs for neighbouring seeds are nearly equal (its seed is
        // only XOR-scrambled), so seed + index alone made all start-up proposals almost the same
        // point; SplittableRandom's nextLong mixes the combined seed first (SplitMix64's finalizer)
        Random random = new Random(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index).nextLong());
        Map<String, SpecNode> point = new LinkedHashMap<>();
        // +Infinity: a trial that diverged or was pruned, worse than every finished one (bad group)
        List<Observation> usable = history.stream()
                .filter(o -> Double.isFinite(o.objective()) || o.objective() == Double.POSITIVE_INFINITY).toList();
        long finite = usable.stream().filter(o -> Double.isFinite(o.objective())).count();
        if (index < startup || usable.size() < 2 || finite == 0) {
            axes.forEach((path, axis) -> point.put(path, axis.sample(random)));
            return point;
        }
        List<Observation> sorted = new ArrayList<>(usable);
        sorted.sort(Comparator.comparingDouble(Observation::objective));
        int nGood = (int) Math.min(finite, Math.max(1, (int) Math.ceil(GAMMA * sorted.size())));
        List<Observation> good = sorted.subList(0, nGood);
        List<Observation> bad = sorted.subList(nGood, sorted.size());
        axes.forEach((path, axis) -> point.put(path, axis instanceof SweepAxis.Values v
                ? categorical(path, v, good, bad, random)
                : continuous(path, (SweepAxis.Distribution) axis, good, bad, random)));
        return point;
    }

    /**
     * Draws the values of trial {@code index} from the axes' priors, as a start-up proposal, for a
     * model proposal that repeated a finished trial; a different draw for every attempt, the same
     * for the same (index, attempt).
     *
     * @param index the 0-based trial number
     * @param attempt the redraw's number (≥ 1)
     * @return a value per axis, in axis order
     */
    public Map<String, SpecNode> proposeAtRandom(int index, int attempt) {
        Random random = new Random(new SplittableRandom((seed * 0x9E3779B97F4A7C15L + index) * 0xBF58476D1CE4E5B9L
                + attempt).nextLong());
        Map<String, SpecNode> point = new LinkedHashMap<>();
        axes.forEach((path, axis) -> point.put(path, axis.sample(random)));
        return point;
    }

    private static SpecNode categorical(String path, SweepAxis.Values axis, List<Observation> good,
            List<Observation> bad, Random random) {
        int k = axis.values().size();
        double[] l = new double[k];
        double[] g = new double[k];
        for (int i = 0; i < k; i++) {
            Object v = axis.values().get(i).toPlain();
            l[i] = 1 + good.stream().filter(o -> same(o.values().get(path), v)).count();
            g[i] = 1 + bad.stream().filter(o -> same(o.values().get(path), v)).count();
        }
        double lSum = java.util.Arrays.stream(l).sum();
        double gSum = java.util.Arrays.stream(g).sum();
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CANDIDATES; c++) {
            int i = draw(l, lSum, random);
            double score = Math.log(l[i] / lSum) - Math.log(g[i] / gSum);
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        return axis.values().get(best);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** Equal as JSON: 32 and 32L, [8, 4] as Integers or Longs, 0.001 and 1.0E-3. */
    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        try {
            return JSON.writeValueAsString(a).equals(JSON.writeValueAsString(b));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return java.util.Objects.equals(a, b);
        }
    }

    private static int draw(double[] weights, double sum, Random random) {
        double u = random.nextDouble() * sum;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u <= 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static SpecNode continuous(String path, SweepAxis.Distribution axis,
            List<Observation> good, List<Observation> bad, Random random) {
        boolean log = axis.kind().equals("loguniform");
        boolean normal = axis.kind().equals("normal");
        double lo = normal ? axis.a() - 4 * axis.b() : transform(axis.a(), log);
        double hi = normal ? axis.a() + 4 * axis.b() : transform(axis.b(), log);
        Parzen l = new Parzen(values(good, path, log), lo, hi);
        Parzen g = new Parzen(values(bad, path, log), lo, hi);
        double best = Double.NaN;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CANDIDATES; c++) {
            double x = l.sample(random);
            double score = l.logDensity(x) - g.logDensity(x);
            if (score > bestScore) {
                bestScore = score;
                best = x;
            }
        }
        double value = log ? Math.exp(best) : best;
        // a long, not promoted to a double by the conditional (run names read "batch_size=20.0")
        Object out = axis.kind().equals("int_uniform")
                ? (Object) Math.max((long) Math.ceil(axis.a()), Math.min((long) Math.floor(axis.b()), Math.round(value)))
                : (Object) value;
        return new SpecNode.ScalarNode(out, axis.location());
    }

    private static double transform(double x, boolean log) {
        return log ? Math.log(x) : x;
    }

    private static double[] values(List<Observation> obs, String path, boolean log) {
        return obs.stream().map(o -> o.values().get(path)).filter(v -> v instanceof Number)
                .mapToDouble(v -> transform(((Number) v).doubleValue(), log)).toArray();
    }

    /**
     * A mixture of Gaussians, one per observation plus the prior (centre of the range, σ = its
     * width), equally weighted; each σ is the larger gap to the neighbouring points, clipped to
     * [width / min(100, n + 1), width] (Bergstra et al. 2011, §4).
     */
    private static final class Parzen {
        private final double[] mu;
        private final double[] sigma;
        private final double lo;
        private final double hi;

        Parzen(double[] points, double lo, double hi) {
            this.lo = lo;
            this.hi = hi;
            double width = hi - lo;
            double[] sorted = points.clone();
            java.util.Arrays.sort(sorted);
            int n = sorted.length;
            mu = new double[n + 1];
            sigma = new double[n + 1];
            double min = width / Math.min(100.0, n + 1.0);
            for (int i = 0; i < n; i++) {
                double left = i == 0 ? sorted[i] - lo : sorted[i] - sorted[i - 1];
                double right = i == n - 1 ? hi - sorted[i] : sorted[i + 1] - sorted[i];
                mu[i] = sorted[i];
                sigma[i] = Math.max(min, Math.min(width, Math.max(left, right)));
            }
            mu[n] = (lo + hi) / 2;
            sigma[n] = width;
        }

        double sample(Random random) {
            int i = random.nextInt(mu.length);
            for (int attempt = 0; attempt < 20; attempt++) {
                double x = mu[i] + sigma[i] * random.nextGaussian();
                if (x >= lo && x <= hi) {
                    return x;
                }
            }
            return Math.max(lo, Math.min(hi, mu[i]));
        }

        double logDensity(double x) {
            double sum = 0;
            for (int i = 0; i < mu.length; i++) {
                double z = (x - mu[i]) / sigma[i];
                sum += Math.exp(-0.5 * z * z) / sigma[i];
            }
            return Math.log(sum / mu.length + 1e-300);
        }
    }
}
