package dev.assay.tasks;

import ai.djl.nn.Block;
import dev.assay.data.ClassificationData;
import dev.assay.data.LoadedDataset;
import dev.assay.plugin.MetricKind;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import dev.assay.plugin.TaskProvider;
import dev.assay.train.TrainingLoop;
import dev.assay.train.TrialContext;
import java.util.List;
import java.util.Map;

/**
 * Supervised classification: softmax cross-entropy on logits, accuracy, trained by
 * {@link TrainingLoop}. The objective is the cross-entropy plus the trial's weight penalty
 * (whose gradient the loop adds to the weights' gradients).
 *
 * <p>Metrics: {@code batch_loss} every {@code training.log_every_n_steps} steps; per epoch
 * {@code train_loss} and {@code val_loss} (mean cross-entropy, nats per sample, penalty
 * excluded), {@code train_accuracy}, {@code val_accuracy}, and, when a penalty is set, {@code penalty}
 * (its value at the end of the epoch) and {@code train_objective} (train_loss plus penalty);
 * {@code epoch_time_s}, {@code samples_per_s}; after training {@code test_loss} and
 * {@code test_accuracy} on the test split.
 */
public final class ClassificationTask implements TaskProvider {

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
     * Refuses an autoencoder, a GAN, a seq2seq network and word2vec's embeddings: none maps a
     * sample to class scores (each trial failed after loading its data).
     *
     * @return the refused block types
     */
    @Override
    public java.util.Set<Class<?>> refusedBlockTypes() {
        return NOT_A_CLASSIFIER;
    }

    /** The block types of architectures that cannot classify. */
    private static final java.util.Set<Class<?>> NOT_A_CLASSIFIER = java.util.Set.of(dev.assay.train.ReconstructionModel.class,
            dev.assay.train.AdversarialNetworks.class, dev.assay.train.Seq2SeqModel.class, dev.assay.train.Word2VecModel.class);

    /**
     * Trains on samples with class labels (images, or features).
     *
     * @return {@link dev.assay.data.ClassificationData}
     */
    @Override
    public Class<? extends dev.assay.data.LoadedDataset> dataType() {
        return dev.assay.data.ClassificationData.class;
    }

    @Override
    public String description() {
        return "softmax cross-entropy classification; metrics loss and accuracy";
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
     * @throws IllegalArgumentException if the dataset is not a classification dataset
     * @throws Exception if loading or training fails
     */
    @Override
    public Map<String, Double> run(Params params, TrialContext ctx) throws Exception {
        ClassificationData data = classification(ctx.loadDataset(), ctx);
        Block block = ctx.buildModel(data.sampleShape(), data.numClasses());
        return SoftmaxTraining.trainAndTest(ctx, block, data.sampleShape(), data.train(),
                data.validation(), data.test(), data.classNames());
    }

    private static ClassificationData classification(LoadedDataset data, TrialContext ctx) {
        if (data instanceof ClassificationData c) {
            return c;
        }
        throw new IllegalArgumentException("task 'classification' needs a classification dataset;"
                + " dataset '" + ctx.config().dataset().name() + "' gives "
                + data.getClass().getSimpleName());
    }
}
