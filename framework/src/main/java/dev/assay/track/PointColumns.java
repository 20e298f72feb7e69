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

    /** Returns a copy holding exactly this batch's points. */
    PointColumns copy() {
        PointColumns copy = new PointColumns(size);
        System.arraycopy(steps, 0, copy.steps, 0, size);
        System.arraycopy(epochs, 0, copy.epochs, 0, size);
        System.arraycopy(values, 0, copy.values, 0, size);
        System.arraycopy(wallTimes, 0, copy.wallTimes, 0, size);
        copy.size = size;
        return copy;
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
