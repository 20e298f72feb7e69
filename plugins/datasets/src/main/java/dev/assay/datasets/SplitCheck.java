package dev.assay.datasets;

import dev.assay.plugin.Params;
import java.util.Map;

/**
 * Refuses, when the experiment file is read, a size parameter ({@code limit_train}, {@code
 * train_size}) whose validation split ({@code round(n · validation_split)} examples, as {@link
 * SplitBuilder#validationSize} carves it) holds out no example though a split was asked for, or
 * leaves too few to train on. Both were found only when a trial loaded its data: a split that
 * rounded to nothing trained without a word and without {@code val_*} metrics, and too few
 * training examples failed the trial. A limit is the most examples read, so the data may hold
 * fewer; fewer never rounds better (the split and the rest both grow with n), and the checks at
 * load time stay for data whose size only loading tells.
 */
final class SplitCheck {

    /**
     * What a dataset needs of its size parameter.
     *
     * @param sizeKey the parameter, e.g. {@code limit_train}
     * @param zeroMeansAll whether 0 means all the data (no check then)
     * @param minTraining the fewest training examples a trial can use
     * @param example the noun for one example, e.g. {@code example} or {@code pair}
     * @param why why fewer than {@code minTraining} will not do, for the message
     * @param max the largest value the parameter takes (or that every dataset of the rule takes)
     */
    record Rule(String sizeKey, boolean zeroMeansAll, int minTraining, String example, String why, long max) {}

    /** The classification datasets' {@code limit_train}: a classifier needs 2 classes, so 2 examples. */
    static final Rule CLASSIFIER = new Rule("limit_train", true, 2, "example",
            "a classifier needs examples of at least 2 classes", 1_000_000_000L);

    /** The generated seq2seq pairs' {@code train_size}. */
    static final Rule GENERATED_PAIRS = new Rule("train_size", false, 1, "pair", "training needs at least one",
            DateNormalisation.DAYS - 1);

    /** The parameter holding the validation fraction. */
    static final String FRACTION_KEY = "validation_split";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SplitCheck.class);

    private SplitCheck() {}

    /**
     * Warns, when the data is loaded, that a positive {@code validation_split} held out nothing from
     * data whose size only loading told (no limit, or files holding fewer than it), as {@link
     * LanguageModelBuilder#warnIfNoValidation} does for the corpora: the runs then have no {@code
     * val_*} metrics, and early stopping or pruning on {@code val_loss} nothing to watch.
     *
     * @param dataset the dataset's name for the message
     * @param n the training examples before the split
     * @param fraction {@code validation_split}
     * @param held the examples held out for validation
     * @param example the noun for one example
     * @return whether it warned
     */
    static boolean warnIfNoValidation(String dataset, int n, double fraction, int held, String example) {
        if (fraction <= 0 || held > 0) {
            return false;
        }
        LOG.warn("{}: validation_split {} of {} training {}s holds out none, so the runs will have no val_* metrics"
                + " and early stopping or pruning on val_loss nothing to watch", dataset, fraction, n, example);
        return true;
    }

    /**
     * Checks a dataset's size parameter against its {@code validation_split}.
     *
     * @param params the resolved parameters, with {@code rule.sizeKey()} and {@code validation_split}
     * @param rule what the dataset needs
     * @return the size parameter → what is wrong, or empty
     */
    static Map<String, String> check(Params params, Rule rule) {
        String problem = problem(params.getInt(rule.sizeKey()), params.getDouble(FRACTION_KEY), rule);
        return problem == null ? Map.of() : Map.of(rule.sizeKey(), problem);
    }

    /**
     * What is wrong with {@code n} examples split with {@code fraction}, or null.
     *
     * @param n the size parameter's value
     * @param fraction the validation fraction in [0, 1)
     * @param rule what the dataset needs
     * @return the problem, without the parameter's name (which it is said of), or null when the split
     *     leaves both parts
     */
    static String problem(long n, double fraction, Rule rule) {
        if (n == 0 && rule.zeroMeansAll()) {
            return null;
        }
        long held = Math.round(n * fraction);
        long training = n - held;
        if (training < rule.minTraining()) {
            long leastToTrain = least(fraction, rule.minTraining(), false);
            long least = least(fraction, rule.minTraining(), fraction > 0);
            return "leaves " + count(training, "training " + rule.example()) + " of " + n + (held > 0 ? " once "
                    + FRACTION_KEY + " " + fraction + " holds " + held + " out for validation" : "") + ", and "
                    + rule.why() + ": " + (least > rule.max()
                    ? "use " + leastToTrain + " or more with " + FRACTION_KEY + ": 0"
                    : use(least, rule) + (least > leastToTrain ? " (with " + FRACTION_KEY + " " + fraction
                    + ", the least that also holds one out for validation)" : "")
                    + (held > 0 ? ", or a lower " + FRACTION_KEY : ""));
        }
        if (fraction > 0 && held == 0) {
            long least = least(fraction, rule.minTraining(), true);
            return "with " + FRACTION_KEY + " " + fraction + ", " + count(n, rule.example()) + " hold out none for"
                    + " validation (round(" + n + " × " + fraction + ") = 0), so the trial would have no validation"
                    + " split and no val_* metrics: " + (least > rule.max() ? "raise " + FRACTION_KEY
                    : use(least, rule)) + ", or set " + FRACTION_KEY + ": 0 to train without one";
        }
        return null;
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String use(long least, Rule rule) {
        return "use " + least + " or more" + (rule.zeroMeansAll() ? " (0 for all)" : "");
    }

    /**
     * The least size that leaves {@code minTraining} to train on and, if {@code validate}, one to
     * validate; past {@code Integer.MAX_VALUE} when no int does.
     */
    private static long least(double fraction, int minTraining, boolean validate) {
        if (validate && 0.5 / fraction > Integer.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long n = validate ? Math.max(minTraining, (long) Math.floor(0.5 / fraction) - 1) : minTraining;
        while (n - Math.round(n * fraction) < minTraining || validate && Math.round(n * fraction) < 1) {
            n++;
        }
        return n;
    }
}
