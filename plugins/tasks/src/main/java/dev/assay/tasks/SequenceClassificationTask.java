package dev.assay.tasks;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.assay.data.LoadedDataset;
import dev.assay.data.SequenceClassificationData;
import dev.assay.plugin.MetricKind;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import dev.assay.plugin.TaskProvider;
import dev.assay.train.SequenceModel;
import dev.assay.train.TrainingLoop;
import dev.assay.train.TrialContext;
import java.util.List;
import java.util.Map;

/**
 * Many-to-one text classification: token indices {@code (batch, max_length)} through the
 * architecture (which must be a {@link SequenceModel}; it receives the dataset's vocabulary) to
 * logits {@code (batch, classes)}, softmax cross-entropy, trained by {@link TrainingLoop} like
 * {@link ClassificationTask}.
 *
 * <p>Metrics, as for {@code classification}: {@code batch_loss} every
 * {@code training.log_every_n_steps} steps; per epoch {@code train_loss}, {@code val_loss} (mean
 * cross-entropy, nats per text), {@code train_accuracy}, {@code val_accuracy},
 * {@code epoch_time_s}, {@code samples_per_s}; at the end {@code test_loss} and
 * {@code test_accuracy}. Tags {@code data.vocabulary_size} and {@code data.max_length}.
 */
public final class SequenceClassificationTask implements TaskProvider {

    /**
     * The metrics listed in the class comment.
     *
     * @return name → when it is logged
     */
    @Override
    public Map<String, MetricKind> metrics() {
        return SoftmaxTraining.METRICS;
    }

    /**
     * Trains on token sequences with class labels (text classification).
     *
     * @return {@link dev.assay.data.SequenceClassificationData}
     */
    @Override
    public Class<? extends dev.assay.data.LoadedDataset> dataType() {
        return dev.assay.data.SequenceClassificationData.class;
    }

    /**
     * Trains a sequence model (a recurrent network that receives the vocabulary).
     *
     * @return {@link dev.assay.train.SequenceModel}
     */
    @Override
    public Class<?> blockType() {
        return dev.assay.train.SequenceModel.class;
    }

    @Override
    public String description() {
        return "many-to-one text classification (token sequences); metrics loss and accuracy";
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return List.of();
    }

    /**
     * Trains and tests one trial.
     *
     * @param params none
     * @param ctx the trial
     * @return {@code test_loss} and {@code test_accuracy}
     * @throws IllegalArgumentException if the dataset is not a sequence classification dataset or
     *     the architecture is not a {@link SequenceModel}
     * @throws Exception if loading or training fails
     */
    @Override
    public Map<String, Double> run(Params params, TrialContext ctx) throws Exception {
        SequenceClassificationData data = data(ctx.loadDataset(), ctx);
        ctx.tracker().setTag("data.vocabulary_size", String.valueOf(data.vocabulary().size()));
        ctx.tracker().setTag("data.max_length", String.valueOf(data.maxLength()));
        // what the model is scored on: a typo label once made a 40-class model, one class a perfect one
        ctx.tracker().setTag("data.classes", String.valueOf(data.numClasses()));
        ctx.tracker().setTag("data.class_names", classNames(data.classNames()));
        Block block = ctx.buildModel(new Shape(data.maxLength()), data.numClasses());
        sequenceModel(block, ctx).bindVocabulary(data.vocabulary());
        return SoftmaxTraining.trainAndTest(ctx, block, new Shape(data.maxLength()), data.train(),
                data.validation(), data.test(), data.classNames());
    }

    /** The class names, comma-separated, cut at 500 characters (with the count left out). */
    static String classNames(List<String> names) {
        String joined = String.join(", ", names);
        return joined.length() <= 500 ? joined : joined.substring(0, 480) + "... (" + names.size() + " in all)";
    }

    static SequenceModel sequenceModel(Block block, TrialContext ctx) {
        if (block instanceof SequenceModel m) {
            return m;
        }
        throw new IllegalArgumentException("task '" + ctx.config().task().name() + "' needs a"
                + " sequence architecture (lstm, gru); '" + ctx.config().model().name()
                + "' is not one");
    }

    private static SequenceClassificationData data(LoadedDataset data, TrialContext ctx) {
        if (data instanceof SequenceClassificationData c) {
            return c;
        }
        throw new IllegalArgumentException("task 'sequence_classification' needs a text"
                + " classification dataset (imdb, csv-text, spam-assassin); dataset '"
                + ctx.config().dataset().name() + "' gives " + data.getClass().getSimpleName());
    }
}
