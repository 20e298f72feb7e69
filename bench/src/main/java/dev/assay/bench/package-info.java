/**
 * The benchmarks behind {@code assay bench}: (a) tracking overhead of Assay's trial runner against a
 * bare DJL loop, (b) metric ingestion through the tracker into embedded H2 against plain-JDBC
 * references, (c) training throughput against the engine's own GEMM ceiling, (d) resident memory
 * of a long trial. {@link dev.assay.bench.BenchSuite} runs them and yields {@link
 * dev.assay.bench.BenchResults}: rows with value, unit, reference, ratio and target, plus the
 * machine they were measured on. Parts that need their own process (several writers, one engine
 * per JVM, a clean resident set) run in child JVMs started by {@link dev.assay.bench.ChildJvm}.
 */
package dev.assay.bench;
