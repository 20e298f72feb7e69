package dev.assay.track;

/**
 * The in-memory append state of one metric series: the number and contents of its last, not yet
 * full chunk, whether that chunk and the summary row already exist in the database, and the running
 * summary. Not thread-safe; the store's lock guards it.
 */
final class SeriesTail {

    final String key;
    final PointColumns chunk = new PointColumns(MetricAppender.CHUNK_SIZE);
    int chunkNo;
    boolean chunkStored;
    boolean summaryStored;

    long count;
    double last = Double.NaN;
    long lastStep = -1;
    double min = Double.NaN;
    long minStep = -1;
    double max = Double.NaN;
    long maxStep = -1;
    long nonFiniteCount;

    SeriesTail(String key) {
        this.key = key;
    }

    /** Adds one point to the tail chunk and the summary. */
    void add(long step, int epoch, double value, long wallTimeMillis) {
        chunk.add(step, epoch, value, wallTimeMillis);
        summarize(step, value);
    }

    /**
     * Adds {@code count} points from {@code from} to the summary only: a whole chunk written
     * straight from a batch, which never enters the tail chunk.
     */
    void summarize(PointColumns points, int from, int count) {
        for (int i = from; i < from + count; i++) {
            summarize(points.steps[i], points.values[i]);
        }
    }

    private void summarize(long step, double value) {
        count++;
        last = value;
        lastStep = step;
        if (!Double.isFinite(value)) {
            nonFiniteCount++;
        }
        if (Double.isNaN(value)) {
            return;
        }
        if (minStep < 0 || value < min) {
            min = value;
            minStep = step;
        }
        if (maxStep < 0 || value > max) {
            max = value;
            maxStep = step;
        }
    }

    /** Starts the next, empty chunk once the current one is full and written. */
    void nextChunk() {
        chunkNo++;
        chunk.clear();
        chunkStored = false;
    }

    MetricSummary summary() {
        return new MetricSummary(key, count, last, lastStep, min, minStep, max, maxStep, nonFiniteCount);
    }
}
