/** The {@code assay} command line: run experiments, list and show runs, list plugins. */
package dev.assay.cli;
