package dev.assay.tasks;

import dev.assay.plugin.AssayPlugin;

/** Registers the tasks: {@code classification}, {@code sequence_classification}, {@code language_model}, {@code reconstruction}, {@code adversarial}, {@code seq2seq}, {@code word2vec}. */
public final class TasksPlugin extends AssayPlugin {

    @Override
    protected void configure() {
        registerTask("classification", ClassificationTask.class);
        registerTask("sequence_classification", SequenceClassificationTask.class);
        registerTask("language_model", LanguageModelTask.class);
        registerTask("reconstruction", ReconstructionTask.class);
        registerTask("adversarial", AdversarialTask.class);
        registerTask("seq2seq", Seq2SeqTask.class);
        registerTask("word2vec", Word2VecTask.class);
    }
}
