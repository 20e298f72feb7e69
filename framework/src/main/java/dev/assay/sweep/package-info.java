/** Sweep expansion: from one experiment spec to the ordered list of trials, each with its key. */
package dev.assay.sweep;
