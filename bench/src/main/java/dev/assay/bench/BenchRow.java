package dev.assay.bench;

/**
 * One measured figure.
 *
 * @param section the benchmark it belongs to: {@code a} (tracking overhead), {@code b} (ingestion),
 *     {@code c} (throughput) or {@code d} (memory)
 * @param name what was measured, e.g. {@code MLP: Assay runner vs bare DJL loop}
 * @param value the figure, in {@code unit}
 * @param unit its unit: {@code s}, {@code points/s}, {@code samples/s}, {@code GFLOP/s},
 *     {@code MiB}, {@code %}, {@code points}
 * @param reference the figure it is compared with, in the same unit, or null
 * @param referenceName what the reference is, or null
 * @param ratio {@code value / reference}, or the median of per-pair ratios where the row says so;
 *     null without a reference
 * @param target what the figure must meet, or null for an informational row
 * @param pass whether the target is met; null without a target
 * @param note how the figure was obtained (sizes, repetitions, spread)
 */
public record BenchRow(String section, String name, double value, String unit, Double reference,
        String referenceName, Double ratio, Target target, Boolean pass, String note) {

    /**
     * An informational row without reference or target.
     *
     * @param section the benchmark section letter
     * @param name what was measured
     * @param value the figure
     * @param unit its unit
     * @param note how it was obtained
     * @return the row
     */
    public static BenchRow of(String section, String name, double value, String unit, String note) {
        return new BenchRow(section, name, value, unit, null, null, null, null, null, note);
    }

    /**
     * Returns a copy compared with a reference; the ratio is {@code value / reference}.
     *
     * @param name what the reference is
     * @param referenceValue its figure, in this row's unit
     * @return the row with reference and ratio set
     */
    public BenchRow against(String name, double referenceValue) {
        return withRatio(name, referenceValue, value / referenceValue);
    }

    /**
     * Returns a copy with a reference and an explicitly computed ratio (e.g. a median of ratios).
     *
     * @param name what the reference is
     * @param referenceValue its figure
     * @param ratioValue the ratio of this row's figure to the reference's ({@code value / reference}),
     *     or a median of such ratios over paired rounds, as the note says
     * @return the row
     */
    public BenchRow withRatio(String name, double referenceValue, double ratioValue) {
        return new BenchRow(section, this.name, value, unit, referenceValue, name, ratioValue,
                target, target == null ? null : target.test(value, ratioValue), note);
    }

    /**
     * Returns a copy judged against a target.
     *
     * @param t the target
     * @return the row with target and pass set
     * @throws IllegalArgumentException if {@code t} bounds the ratio and this row has none
     */
    public BenchRow target(Target t) {
        return new BenchRow(section, name, value, unit, reference, referenceName, ratio, t,
                t.test(value, ratio), note);
    }
}
