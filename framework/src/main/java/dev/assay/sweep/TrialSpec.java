package dev.assay.sweep;

import dev.assay.spec.TrialConfig;
import java.util.Map;

/**
 * One planned trial: a resolved configuration and seed, identified by its trial key.
 *
 * @param index position in the sweep, from 0, in the plan's stable order
 * @param variant the sweep variant name, or "" when the sweep has no variants
 * @param sweepValues the dotted paths the sweep set for this trial and their values, in the
 *     order the spec lists them
 * @param repeat the repeat index in {@code [0, sweep.repeat)}
 * @param seed the trial seed ({@code training.seed + repeat})
 * @param trialKey hex SHA-256 prefix of the canonical resolved configuration, seed included
 *     (see {@link TrialKeys})
 * @param config the resolved configuration
 */
public record TrialSpec(
        int index,
        String variant,
        Map<String, Object> sweepValues,
        int repeat,
        long seed,
        String trialKey,
        TrialConfig config) {

    /** The longest run name: 200 characters (the store's column holds 250). */
    public static final int MAX_RUN_NAME = 200;

    /**
     * Returns a short human-readable name such as {@code l2 dropout=0.3 #1}: the variant, each swept
     * value (its key's last part; a long decimal rounded to 6 significant digits, {@link
     * ValueText#rounded}), the seed of a repeat; cut to {@link #MAX_RUN_NAME} characters with an
     * ellipsis. The exact values are the run's params.
     *
     * @return the run name
     */
    public String runName() {
        StringBuilder sb = new StringBuilder(variant);
        sweepValues.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(k.substring(k.lastIndexOf('.') + 1)).append('=').append(nameText(v));
        });
        if (repeat > 0) {
            sb.append(sb.length() > 0 ? " " : "").append("seed=").append(seed);
        }
        if (sb.length() > MAX_RUN_NAME) { // 14 sampled parameters made 360 characters: the store refused the run
            sb.setLength(MAX_RUN_NAME - 1);
            sb.append('…');
        }
        return sb.length() == 0 ? "trial-" + index : sb.toString();
    }

    /**
     * A swept value as the run name writes it: rounded ({@link ValueText#rounded}); a list's
     * elements each so, without spaces ({@code [128,64]}), as the run's params write a list: the
     * name read {@code hidden=[128, 64]}, and a filter on the param with that text found nothing.
     */
    private static String nameText(Object value) {
        if (value instanceof java.util.List<?> list) {
            return list.stream().map(TrialSpec::nameText).collect(java.util.stream.Collectors.joining(",", "[", "]"));
        }
        return ValueText.rounded(String.valueOf(value));
    }
}
