package dev.assay.track;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A growable batch of metric points held as parallel primitive arrays (no object per point). Not
 * thread-safe; callers synchronize.
 */
final class PointColumns {

    long[] steps;
    int[] epochs;
    double[] values;
    long[] wallTimes;
    int size;

    PointColumns(int capacity) {
        int initial = Math.max(1, capacity);
        steps = new long[initial];
        epochs = new int[initial];
        values = new double[initial];
        wallTimes = new long[initial];
    }

    /** Converts a list of points into columns. */
    static PointColumns of(List<MetricPoint> points) {
        PointColumns columns = new PointColumns(points.size());
        for (MetricPoint point : points) {
            columns.add(point.step(), point.epoch(), point.value(), point.wallTimeMillis());
        }
        return columns;
    }

    /** Appends one point, doubling the arrays when full. */
    void add(long step, int epoch, double value, long wallTimeMillis) {
        if (size == steps.length) {
            grow(size * 2);
        }
        steps[size] = step;
        epochs[size] = epoch;
        values[size] = value;
        wallTimes[size] = wallTimeMillis;
        size++;
    }

    /**
     * Moves the points of {@code source} from index {@code from} on to the end of this batch;
     * {@code source} keeps its first {@code from} points.
     */
    void moveTailFrom(PointColumns source, int from) {
        int count = source.size - from;
        int needed = size + count;
        if (needed > steps.length) {
            grow(Math.max(needed, 2 * steps.length));
        }
        System.arraycopy(source.steps, from, steps, size, count);
        System.arraycopy(source.epochs, from, epochs, size, count);
        System.arraycopy(source.values, from, values, size, count);
        System.arraycopy(source.wallTimes, from, wallTimes, size, count);
        size = needed;
        source.size = from;
    }

    /** Empties the batch, keeping its capacity. */
    void clear() {
        size = 0;
    }

    /** Returns the points as records, in order. */
    List<MetricPoint> toPoints() {
        List<MetricPoint> points = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            points.add(new MetricPoint(steps[i], epochs[i], values[i], wallTimes[i]));
        }
        return points;
    }

    private void grow(int capacity) {
        steps = Arrays.copyOf(steps, capacity);
        epochs = Arrays.copyOf(epochs, capacity);
        values = Arrays.copyOf(values, capacity);
        wallTimes = Arrays.copyOf(wallTimes, capacity);
    }
}
