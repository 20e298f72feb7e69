package dev.assay.train;

import ai.djl.nn.Block;

/**
 * A block that maps {@code (source (batch, source steps), decoder input (batch, target steps))}
 * to {@code (logits (batch, target steps, target vocabulary), attention weights (batch, target
 * steps, source steps))}, as the {@code seq2seq} task trains it. A marker: the task checks the
 * shapes when the trial starts; the type lets an experiment pairing {@code seq2seq} with another
 * architecture be refused when it is read ({@link dev.assay.plugin.TaskProvider#blockType()}).
 */
public interface Seq2SeqModel extends Block {}
