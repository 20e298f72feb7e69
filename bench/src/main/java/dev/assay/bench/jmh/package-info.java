/**
 * JMH micro-benchmarks of the tracker's hot path: what logging a point costs the training
 * thread. Run with {@code java -cp <bench classpath> org.openjdk.jmh.Main LogMetric}.
 */
package dev.assay.bench.jmh;
