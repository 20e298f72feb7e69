/**
 * Running experiments: the sweep runner that executes planned trials one after another, the trial
 * runner that records one run from start to its final status, and provenance capture.
 */
package dev.assay.run;
