package dev.assay.spec;

import java.util.List;
import java.util.Random;

/**
 * One swept dotted path: a list of values (a grid axis, or a uniform choice for random search) or
 * a distribution to sample from (random search only).
 */
public sealed interface SweepAxis permits SweepAxis.Values, SweepAxis.Distribution {

    /**
     * Where the axis is written.
     *
     * @return the location of its values
     */
    SourceLocation location();

    /**
     * Where the axis's dotted path is written (the key under {@code sweep.parameters}, or the
     * {@code --sweep} argument): an error about the path, such as an unknown key, points here.
     *
     * @return the location of its path
     */
    SourceLocation keyLocation();

    /**
     * Returns this axis with its path's location.
     *
     * @param at where the path is written
     * @return a copy located at {@code at}
     */
    SweepAxis keyedAt(SourceLocation at);

    /**
     * Draws one value.
     *
     * @param random the sweep's random stream
     * @return the value, located at the axis
     */
    SpecNode sample(Random random);

    /**
     * A finite list of values: every one in a grid, one uniformly at random in random search.
     *
     * @param values the values, in file order
     * @param location where the list is written
     * @param keyLocation where the axis's path is written
     */
    record Values(List<SpecNode> values, SourceLocation location, SourceLocation keyLocation)
            implements SweepAxis {

        /** Copies the values. */
        public Values {
            values = List.copyOf(values);
        }

        /**
         * A list whose path is written where the list is (a {@code --sweep} argument).
         *
         * @param values the values, in file order
         * @param location where the list and its path are written
         */
        public Values(List<SpecNode> values, SourceLocation location) {
            this(values, location, location);
        }

        @Override
        public Values keyedAt(SourceLocation at) {
            return new Values(values, location, at);
        }

        @Override
        public SpecNode sample(Random random) {
            return values.get(random.nextInt(values.size()));
        }
    }

    /**
     * A distribution for random search.
     *
     * <ul>
     *   <li>{@code uniform}: {@code U(low, high)}.
     *   <li>{@code loguniform}: {@code exp(U(ln low, ln high))}, low &gt; 0 (Bergstra &amp;
     *       Bengio 2012 sample learning rates this way).
     *   <li>{@code int_uniform}: an integer in {@code [low, high]}, both inclusive (fractional ends
     *       round inward; within ±9.0e18).
     *   <li>{@code normal}: {@code N(mean, std²)}, with {@code a = mean}, {@code b = std}.
     * </ul>
     *
     * @param kind {@code uniform}, {@code loguniform}, {@code int_uniform} or {@code normal}
     * @param a low, or the mean for {@code normal}
     * @param b high, or the standard deviation for {@code normal}
     * @param location where the distribution is written
     * @param keyLocation where the axis's path is written
     */
    record Distribution(String kind, double a, double b, SourceLocation location, SourceLocation keyLocation)
            implements SweepAxis {

        /** The distribution names. */
        public static final List<String> KINDS =
                List.of("uniform", "loguniform", "int_uniform", "normal");

        /**
         * A distribution whose path is written where it is.
         *
         * @param kind see the class
         * @param a low, or the mean for {@code normal}
         * @param b high, or the standard deviation for {@code normal}
         * @param location where the distribution and its path are written
         */
        public Distribution(String kind, double a, double b, SourceLocation location) {
            this(kind, a, b, location, location);
        }

        @Override
        public Distribution keyedAt(SourceLocation at) {
            return new Distribution(kind, a, b, location, at);
        }

        @Override
        public SpecNode sample(Random random) {
            Object value = switch (kind) {
                case "uniform" -> a + (b - a) * random.nextDouble();
                case "loguniform" -> Math.exp(Math.log(a) + (Math.log(b) - Math.log(a)) * random.nextDouble());
                case "int_uniform" -> intUniform(random);
                case "normal" -> a + b * random.nextGaussian();
                default -> throw new IllegalStateException("unknown distribution " + kind);
            };
            return new SpecNode.ScalarNode(value, location);
        }

        /**
         * An integer in {@code [ceil(low), floor(high)]}, each equally likely. The span {@code hi -
         * lo + 1} overflowed a long for ranges near ±9e18 (every draw fell outside), and fractional
         * ends were truncated toward zero ({@code [0.5, 2.5]} drew 0); a span below 2^53 draws as
         * before, from one {@code nextDouble}.
         */
        private long intUniform(Random random) {
            long lo = (long) Math.ceil(a);
            long hi = (long) Math.floor(b);
            double span = (double) hi - (double) lo + 1;
            if (span < 0x1p53) {
                return lo + (long) Math.floor(random.nextDouble() * span);
            }
            return hi == Long.MAX_VALUE ? random.nextLong(lo - 1, hi) + 1 : random.nextLong(lo, hi + 1);
        }
    }
}
