package dev.assay.track;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Which metrics a table of runs shows when the reader has not chosen: the same rule for the CLI's
 * tables and the web UI's runs table, scatter and parallel coordinates (the UI had a fixed list of
 * five names, so a seq2seq or language-model experiment showed only its losses there while the CLI
 * showed its BLEU or perplexity).
 */
public final class DefaultMetrics {

    /** The usual results, in this order, where the runs have them. */
    public static final List<String> USUAL =
            List.of("test_accuracy", "val_accuracy", "val_loss", "train_loss", "test_loss");

    /** Metrics about the run rather than its results, never shown by default. */
    public static final Set<String> BOOKKEEPING = Set.of("batch_loss", "learning_rate",
            "epoch_time_s", "samples_per_s", "pairs_per_s", "penalty");

    /** Other final metrics shown by default: up to this many {@code test_*} ones. */
    public static final int MAX_OTHER = 4;

    private DefaultMetrics() {}

    /**
     * The metrics to show by default: those of {@link #USUAL} present, then the other {@code
     * test_*} metrics (a task's final results, e.g. {@code test_exact_match}, {@code
     * test_perplexity}, {@code test_mse}) in name order, at most {@value #MAX_OTHER}, each after its
     * validation counterpart where the runs have one ({@code val_perplexity} before {@code
     * test_perplexity}: a language model's sweep is tuned on it). With none of
     * these (a GAN's runs), the epoch means ({@code epoch_*}, e.g. {@code epoch_d_loss}), else the
     * other metrics, in name order, at most {@value #MAX_OTHER}, bookkeeping ({@link #BOOKKEEPING})
     * left out.
     *
     * @param present the metric keys the runs have (any order, duplicates allowed)
     * @return the metrics to show, in display order
     */
    public static List<String> of(Collection<String> present) {
        List<String> all = present.stream().distinct().sorted().toList();
        List<String> shown = new ArrayList<>(USUAL.stream().filter(all::contains).toList());
        all.stream().filter(m -> m.startsWith("test_") && !USUAL.contains(m)).limit(MAX_OTHER).forEach(test -> {
            String validation = "val_" + test.substring("test_".length());
            if (all.contains(validation) && !shown.contains(validation)) {
                shown.add(validation); // what a sweep is tuned on, beside the final figure
            }
            shown.add(test);
        });
        if (shown.isEmpty()) {
            List<String> results = all.stream().filter(m -> !BOOKKEEPING.contains(m)).toList();
            List<String> epochMeans = results.stream().filter(m -> m.startsWith("epoch_")).toList();
            (epochMeans.isEmpty() ? results : epochMeans).stream().limit(MAX_OTHER).forEach(shown::add);
        }
        return shown;
    }
}
