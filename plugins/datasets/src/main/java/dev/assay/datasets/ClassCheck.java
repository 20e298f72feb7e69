package dev.assay.datasets;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the classes of a text classification dataset once its files are read and before a model
 * is built for them. A training split with examples of fewer than 2 classes is refused (it trains
 * a classifier that cannot be wrong: accuracy 1.0); a class with no training example, and a class
 * the test split has no example of, are logged as warnings. The number of training examples per
 * class used is logged when the splits are built, after {@code limit_train}.
 */
final class ClassCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ClassCheck.class);

    private ClassCheck() {}

    /**
     * Checks the classes of both splits.
     *
     * @param dataset the dataset's name for messages, e.g. {@code imdb}
     * @param train the training texts, labels in {@code [0, classNames.size())}
     * @param test the test texts, labels in the same range
     * @param classNames the class names, index = label
     * @param trainWhere where the training examples of a class were read from (a folder, a file)
     * @param testWhere where the test examples of a class were read from
     * @return the number of training examples of each class, index = label
     * @throws IOException if fewer than 2 classes have a training example; the message names each
     *     class with its count and where the examples of the missing ones were looked for
     */
    static int[] check(String dataset, TextClassificationBuilder.Labelled train,
            TextClassificationBuilder.Labelled test, List<String> classNames,
            IntFunction<String> trainWhere, IntFunction<String> testWhere) throws IOException {
        int[] trainCounts = counts(train.labels(), classNames.size());
        int[] testCounts = counts(test.labels(), classNames.size());
        List<Integer> missing = new ArrayList<>();
        for (int c = 0; c < trainCounts.length; c++) {
            if (trainCounts[c] == 0) {
                missing.add(c);
            }
        }
        if (classNames.size() - missing.size() < 2) {
            throw new IOException(tooFew(dataset, trainCounts, classNames, missing, trainWhere));
        }
        for (int c : missing) {
            LOG.warn("{}: class {} has no training example (none in {}); the model cannot learn it",
                    dataset, classNames.get(c), trainWhere.apply(c));
        }
        for (int c = 0; c < testCounts.length && !test.labels().isEmpty(); c++) {
            if (testCounts[c] == 0 && trainCounts[c] > 0) {
                LOG.warn("{}: the test split has no example of class {} (none in {}); the test metrics"
                        + " leave it out", dataset, classNames.get(c), testWhere.apply(c));
            }
        }
        return trainCounts; // the examples per class used are logged once any limit is applied (TextClassificationBuilder)
    }

    /**
     * Refuses training examples of fewer than 2 classes in what is left to train on after {@code
     * limit_train} and the validation split (the files' classes are checked by {@link #check}
     * before either: {@code limit_train} 1, or 2 with half held out, trained one class, without a
     * word, to an accuracy of 1.0).
     *
     * @param dataset the dataset's name for the message
     * @param label the class index of a training record
     * @param order the training records' permutation; positions {@code [from, n)} are trained on
     * @param from the first trained position (the validation split's size)
     * @param classNames the class names, index = label
     * @param params the dataset's resolved parameters, for the message's {@code limit_train} and
     *     {@code validation_split}
     * @return the trained examples of each class, index = label; a class whose examples all went
     *     to the validation split is logged as a warning
     * @throws IllegalArgumentException if examples are left to train on and fewer than 2 classes
     *     have one (none at all is reported when the trial loads the data, with where it was read)
     */
    static int[] requireTwoTrained(String dataset, java.util.function.IntUnaryOperator label, int[] order, int from,
            List<String> classNames, dev.assay.plugin.Params params) {
        int[] counts = new int[classNames.size()];
        int[] read = new int[classNames.size()];
        for (int i = 0; i < order.length; i++) {
            int c = label.applyAsInt(order[i]);
            read[c]++;
            if (i >= from) {
                counts[c]++;
            }
        }
        // none at all is the trial's own, clearer error ("Dataset ... has no training examples (read N from ...)")
        if (order.length > from && java.util.Arrays.stream(counts).filter(c -> c > 0).count() < 2) {
            throw new IllegalArgumentException(dataset + ": limit_train " + params.getInt("limit_train")
                    + " and validation_split " + params.getDouble("validation_split") + " leave " + (order.length - from)
                    + " training example(s), of fewer than 2 classes " + perClass(counts, classNames)
                    + "; a classifier of one class cannot be wrong: raise limit_train or lower validation_split");
        }
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] == 0 && read[c] > 0) {
                // its one example went to validation: only the test split's "no example" warning was left
                LOG.warn("{}: all {} example(s) of class {} went to the validation split (validation_split {}), so the model"
                        + " cannot learn it", dataset, read[c], classNames.get(c), params.getDouble("validation_split"));
            }
        }
        return counts;
    }

    /**
     * Counts the labels of each class.
     *
     * @param labels labels in {@code [0, classes)}
     * @param classes how many classes there are
     * @return the count of each class, index = label
     */
    static int[] counts(List<Integer> labels, int classes) {
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    private static String tooFew(String dataset, int[] counts, List<String> names, List<Integer> missing,
            IntFunction<String> where) {
        int found = names.size() - missing.size();
        StringBuilder s = new StringBuilder(dataset + ": the training split has examples of "
                + (found == 0 ? "no class" : "only 1 class") + " " + perClass(counts, names)
                + "; a classifier needs at least 2.");
        if (missing.isEmpty()) {
            s.append(" All were read from ").append(where.apply(0)).append('.');
        }
        for (int c : missing.subList(0, Math.min(missing.size(), 5))) {
            s.append(" No example of ").append(names.get(c)).append(" in ").append(where.apply(c)).append('.');
        }
        return s.append(" Check these files and folders (an empty folder, files named differently,"
                + " a wrong label column).").toString();
    }

    static Map<String, Integer> perClass(int[] counts, List<String> names) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int c = 0; c < counts.length; c++) {
            out.put(names.get(c), counts[c]);
        }
        return out;
    }
}
