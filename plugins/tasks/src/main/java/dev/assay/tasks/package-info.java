/** Task providers: training strategies that turn a trial context into a trained, tracked model. */
package dev.assay.tasks;
