package dev.assay.train;

import ai.djl.nn.Block;

/**
 * A block holding word2vec's input and output vectors (parameters {@code input_vectors} and
 * {@code output_vectors}, each {@code (vocabulary, embedding dim)}), as the {@code word2vec} task
 * trains it. A marker: the task finds the parameters when the trial starts; the type lets an
 * experiment pairing {@code word2vec} with another architecture be refused when it is read ({@link
 * dev.assay.plugin.TaskProvider#blockType()}).
 */
public interface Word2VecModel extends Block {}
