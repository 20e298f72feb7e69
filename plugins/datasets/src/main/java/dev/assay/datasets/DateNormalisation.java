package dev.assay.datasets;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Generates the date-normalisation task: a date written in one of {@link #FORMATS} (e.g.
 * {@code 3 march 2021}, {@code 03/03/21}, {@code Wednesday, March 3, 2021}) → its ISO 8601 form
 * {@code 2021-03-03}. Dates are drawn without replacement, uniformly from
 * {@link #FIRST} .. {@link #LAST} (so two-digit years are unambiguous: {@code 50-99} → 19xx,
 * {@code 00-49} → 20xx), and each gets a uniformly drawn format. The test dates are drawn first and
 * never occur in the training pairs, in any format. Everything comes from one {@code new
 * Random(seed)} stream: the same seed and sizes give the same pairs.
 */
final class DateNormalisation {

    /** The first date drawn. */
    static final LocalDate FIRST = LocalDate.of(1950, 1, 1);
    /** The last date drawn. */
    static final LocalDate LAST = LocalDate.of(2049, 12, 31);
    /** The number of distinct dates in {@code FIRST .. LAST}. */
    static final int DAYS = (int) (LAST.toEpochDay() - FIRST.toEpochDay() + 1);

    /** Source formats ({@link Locale#ENGLISH}); the pattern, then whether it is lower-cased. */
    static final List<String> FORMATS = List.of(
            "d MMMM yyyy|lower",          // 3 march 2021
            "MM/dd/yy",                   // 03/03/21 (month first)
            "EEEE, MMMM d, yyyy",         // Wednesday, March 3, 2021
            "d MMM yyyy",                 // 3 Mar 2021
            "MMM d, yyyy",                // Mar 3, 2021
            "dd.MM.yyyy",                 // 03.03.2021 (day first)
            "EEE d MMM yy",               // Wed 3 Mar 21
            "MMMM d yyyy|upper",          // MARCH 3 2021
            "yyyy/MM/dd",                 // 2021/03/03
            "d-MMM-yy|lower");            // 3-mar-21

    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_LOCAL_DATE;

    /**
     * One example.
     *
     * @param date the date
     * @param source the date as written in a source format
     * @param target the ISO form {@code yyyy-MM-dd}
     */
    record Example(LocalDate date, String source, String target) {}

    /**
     * The generated examples.
     *
     * @param train training examples
     * @param test held-out examples, none of whose dates is in {@code train}
     */
    record Examples(List<Example> train, List<Example> test) {}

    private DateNormalisation() {}

    /**
     * Generates the examples.
     *
     * @param seed the seed
     * @param trainSize training examples (≥ 1)
     * @param testSize held-out examples (≥ 1)
     * @return the examples
     * @throws IllegalArgumentException if a size is below 1 or their sum exceeds {@link #DAYS}
     */
    static Examples generate(long seed, int trainSize, int testSize) {
        if (trainSize < 1 || testSize < 1 || (long) trainSize + testSize > DAYS) {
            throw new IllegalArgumentException("train_size and test_size must be >= 1 and add up"
                    + " to at most " + DAYS + " (the distinct dates from " + FIRST + " to " + LAST
                    + "), got " + trainSize + " and " + testSize);
        }
        Random random = new Random(seed);
        int[] days = partialShuffle(random, trainSize + testSize);
        List<Example> all = new ArrayList<>(days.length);
        for (int day : days) {
            LocalDate date = FIRST.plusDays(day);
            all.add(new Example(date, format(date, random.nextInt(FORMATS.size())),
                    date.format(ISO)));
        }
        return new Examples(List.copyOf(all.subList(testSize, all.size())),
                List.copyOf(all.subList(0, testSize)));
    }

    /** The first {@code n} entries of a Fisher-Yates shuffle of {@code [0, DAYS)}. */
    private static int[] partialShuffle(Random random, int n) {
        int[] p = new int[DAYS];
        for (int i = 0; i < DAYS; i++) {
            p[i] = i;
        }
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(DAYS - i);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return java.util.Arrays.copyOf(p, n);
    }

    /**
     * Writes a date in one of the source formats.
     *
     * @param date the date
     * @param format the index in {@link #FORMATS}
     * @return the text
     */
    static String format(LocalDate date, int format) {
        String[] spec = FORMATS.get(format).split("\\|");
        String text = date.format(DateTimeFormatter.ofPattern(spec[0], Locale.ENGLISH));
        if (spec.length == 1) {
            return text;
        }
        return "lower".equals(spec[1]) ? text.toLowerCase(Locale.ROOT)
                : text.toUpperCase(Locale.ROOT);
    }

    /**
     * Splits a text into characters, spaces included: the task's tokens.
     *
     * @param text the text
     * @return one token per code point
     */
    static List<String> characters(String text) {
        return text.codePoints().mapToObj(Character::toString).toList();
    }
}
