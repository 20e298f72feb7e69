package dev.assay.plugin;

import java.util.Collection;
import java.util.Locale;

/** Closest-name suggestions for error messages ("did you mean ...?"). */
public final class Names {

    private Names() {}

    /**
     * Returns the one candidate whose dotted path ends with {@code name} (case-insensitive: {@code
     * attention} or {@code params.attention} for {@code model.params.attention}, the short name a
     * table heads the column with); else the one whose last part {@code name}'s last part gives the
     * initials of ({@code lr} for {@code learning_rate}); else the candidate closest to {@code name}
     * by Levenshtein distance (case-insensitive), if it is within a third of the longer length (at
     * least 2 edits); else the one candidate that {@code name} abbreviates (starts with it, 3
     * characters or more: {@code val_acc} for {@code val_accuracy}); else null.
     *
     * @param name the misspelled name
     * @param candidates the valid names
     * @return the closest valid name, or null if none is close
     */
    public static String closest(String name, Collection<String> candidates) {
        String lower = name.toLowerCase(Locale.ROOT);
        java.util.List<String> ending = candidates.stream()
                .filter(c -> c.toLowerCase(Locale.ROOT).endsWith("." + lower)).distinct().toList();
        if (ending.size() == 1 && !lower.isEmpty()) {
            return ending.get(0); // before the edit distance: 'attention' is 13 edits from model.params.attention
        }
        String initialled = initialled(lower, candidates);
        if (initialled != null && candidates.stream().noneMatch(c -> c.equalsIgnoreCase(name))) {
            // before the edit distance: training.optimizer.lr was 3 edits from ...rho, 10 from ...learning_rate
            return initialled;
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(lower, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        if (best == null) {
            return null;
        }
        int limit = Math.max(2, Math.max(name.length(), best.length()) / 3);
        return bestDistance <= limit ? best : abbreviated(lower, candidates);
    }

    /**
     * The validation twin of a test metric, for a monitor that names the test one: a test metric
     * is logged once, after training, and its validation twin is what was meant.
     *
     * @param metric the name given, e.g. {@code test_accuracy}
     * @param candidates the valid names
     * @return {@code val_} + the rest of a {@code test_} name when it is a candidate, e.g.
     *     {@code val_accuracy}; else null
     */
    public static String validationTwin(String metric, Collection<String> candidates) {
        String twin = metric.startsWith("test_") ? "val_" + metric.substring("test_".length()) : null;
        return twin != null && candidates.contains(twin) ? twin : null;
    }

    /**
     * The only candidate whose last dotted part {@code lower}'s last part gives the initials of,
     * with the same dotted parts before it: {@code lr} for {@code learning_rate}, {@code wd} for
     * {@code weight_decay}, {@code training.optimizer.lr} for {@code training.optimizer.learning_rate}
     * (lr got no suggestion, then the dotted one got {@code rho}); else null.
     */
    private static String initialled(String lower, Collection<String> candidates) {
        int dot = lower.lastIndexOf('.');
        String prefix = lower.substring(0, dot + 1);
        String last = lower.substring(dot + 1);
        java.util.List<String> initialled = candidates.stream().filter(c -> {
            String l = c.toLowerCase(Locale.ROOT);
            String word = l.substring(l.lastIndexOf('.') + 1);
            return l.startsWith(prefix) && l.lastIndexOf('.') == dot && word.indexOf('_') > 0
                    && initials(word).equals(last) && !word.startsWith(last); // a short prefix ("va") says too little
        }).distinct().toList();
        return initialled.size() == 1 ? initialled.get(0) : null;
    }

    /** The only candidate starting with {@code lower} (3 characters or more), or null. */
    private static String abbreviated(String lower, Collection<String> candidates) {
        if (lower.length() < 3) {
            return null;
        }
        java.util.List<String> starting = candidates.stream()
                .filter(c -> c.toLowerCase(Locale.ROOT).startsWith(lower)).distinct().toList();
        return starting.size() == 1 ? starting.get(0) : null;
    }

    /** The first letter of each {@code _}-separated word: {@code learning_rate} → {@code lr}. */
    private static String initials(String name) {
        StringBuilder out = new StringBuilder();
        for (String word : name.split("_")) {
            if (!word.isEmpty()) {
                out.append(word.charAt(0));
            }
        }
        return out.toString();
    }

    /**
     * The suggestion clause of an error message for a misspelled name.
     *
     * @param name the misspelled name
     * @param candidates the valid names
     * @param otherwise the text to use when no candidate is close (e.g. "." or "")
     * @return "; did you mean 'X'?" for the closest candidate ({@link #closest}), else {@code otherwise}
     */
    public static String didYouMean(String name, Collection<String> candidates, String otherwise) {
        return suggestion(closest(name, candidates), otherwise);
    }

    /**
     * The suggestion clause of an error message for a name already chosen.
     *
     * @param close the suggested name, or null
     * @param otherwise the text to use when {@code close} is null
     * @return "; did you mean 'X'?", or {@code otherwise}
     */
    public static String suggestion(String close, String otherwise) {
        return close == null ? otherwise : "; did you mean '" + close + "'?";
    }

    /**
     * Levenshtein edit distance (Levenshtein 1966): insertions, deletions and substitutions.
     *
     * @param a first string
     * @param b second string
     * @return the number of single-character edits turning {@code a} into {@code b}
     */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
