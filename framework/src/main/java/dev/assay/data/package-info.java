/** The data a dataset provider hands to a task: splits, sample shapes and where the data came from. */
package dev.assay.data;
