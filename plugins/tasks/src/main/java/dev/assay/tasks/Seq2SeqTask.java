package dev.assay.tasks;

import static dev.assay.plugin.ParamType.DOUBLE;
import static dev.assay.plugin.ParamType.INT;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.Batchifier;
import dev.assay.data.LoadedDataset;
import dev.assay.data.Seq2SeqData;
import dev.assay.plugin.MetricKind;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import dev.assay.plugin.TaskProvider;
import dev.assay.train.BatchMetric;
import dev.assay.train.DeviceEvaluationTrainingListener;
import dev.assay.train.EpochSeeds;
import dev.assay.train.RecordingLoss;
import dev.assay.train.TrackingTrainingListener;
import dev.assay.train.TrainingLoop;
import dev.assay.train.TrialContext;
import dev.assay.train.WeightPenalty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sequence-to-sequence learning ({@code seq2seq}): a seq2seq dataset ({@code dates},
 * {@code sentence-pairs}) through the {@code seq2seq} architecture, trained on token-level
 * cross-entropy ({@link Seq2SeqLoss}) with teacher forcing (Williams &amp; Zipser 1989), or, with
 * {@code teacher_forcing_ratio} below 1, scheduled sampling (Bengio et al. 2015): at each decoder
 * step of each example the ground-truth previous token is fed with that probability, else the model's
 * own argmax (one draw per example and step from the epoch's {@link EpochSeeds#random}; the ratio stays
 * fixed over training, where Bengio et al. decay it). Evaluation decodes
 * greedily ({@link Seq2SeqDecoding}) for {@code max_decode_length} steps.
 *
 * <p>Metrics: {@code batch_loss} and {@code learning_rate} every
 * {@code training.log_every_n_steps} steps; per epoch {@code train_loss} and {@code val_loss}
 * (teacher-forced cross-entropy, nats per target token), {@code val_token_accuracy},
 * {@code val_exact_match}, {@code val_bleu} (greedy; corpus BLEU-4 in [0, 1]),
 * {@code epoch_time_s}, {@code samples_per_s}; after training {@code test_token_accuracy},
 * {@code test_exact_match}, {@code test_bleu}. A NaN or infinite loss marks the trial diverged
 * ({@link TrackingTrainingListener}).
 *
 * <p>Artifacts: {@code attention/example-NN.json} for the first {@code attention_examples}
 * validation examples (test examples without a validation split), written by
 * {@link AttentionArtifacts} after training; none when the architecture's attention is
 * {@code none} (its weights are all zero).
 */
public final class Seq2SeqTask implements TaskProvider {

    private static final Map<String, MetricKind> METRICS = MetricKind.declare(List.of("batch_loss", "learning_rate"),
                List.of("train_loss", "val_loss", "val_token_accuracy", "val_exact_match", "val_bleu",
                    "penalty", "train_objective", "epoch_time_s", "samples_per_s"),
                List.of("test_token_accuracy", "test_exact_match", "test_bleu"));


    private static final Logger LOG = LoggerFactory.getLogger(Seq2SeqTask.class);
    private static final List<ParamDescriptor> PARAMS = List.of(
            ParamDescriptor.of("teacher_forcing_ratio", DOUBLE, 1.0,
                    "probability of feeding the true previous token while training (1 = always)")
                    .range(0, 1),
            ParamDescriptor.of("max_decode_length", INT, 0L,
                    "greedy decoding steps at evaluation; 0 = the longest target's tokens + <eos>"
                    + " (data.max_target_length)")
                    .range(0, 10000),
            ParamDescriptor.of("attention_examples", INT, 5L,
                    "validation examples whose attention weights are saved as JSON").range(0, 100));

    /**
     * The metrics listed in the class comment.
     *
     * @return name → when it is logged
     */
    @Override
    public Map<String, MetricKind> metrics() {
        return METRICS;
    }

    /**
     * Trains on source and target sentence pairs.
     *
     * @return {@link dev.assay.data.Seq2SeqData}
     */
    @Override
    public Class<? extends dev.assay.data.LoadedDataset> dataType() {
        return dev.assay.data.Seq2SeqData.class;
    }

    /**
     * Trains a model of source and decoder input to logits and attention weights.
     *
     * @return {@link dev.assay.train.Seq2SeqModel}
     */
    @Override
    public Class<?> blockType() {
        return dev.assay.train.Seq2SeqModel.class;
    }

    @Override
    public String description() {
        return "sequence to sequence (teacher forcing, greedy decoding); token accuracy, exact"
                + " match, BLEU-4";
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return PARAMS;
    }

    /**
     * Trains and tests one trial.
     *
     * @param params {@code teacher_forcing_ratio}, {@code max_decode_length},
     *     {@code attention_examples}
     * @param ctx the trial
     * @return {@code test_token_accuracy}, {@code test_exact_match}, {@code test_bleu}
     * @throws IllegalArgumentException if the dataset is not a seq2seq dataset or the
     *     architecture does not map {@code (source, decoder input)} to {@code (logits, attention)}
     * @throws ai.djl.TrainingDivergedException if the loss becomes NaN or infinite
     * @throws Exception if loading, training or writing an artifact fails
     */
    @Override
    public Map<String, Double> run(Params params, TrialContext ctx) throws Exception {
        Seq2SeqData data = data(ctx.loadDataset(), ctx);
        tag(ctx, data);
        warnIfShortReferences(data.validation() != null ? data.validationTargets() : data.testTargets(),
                data.validation() != null ? "val_bleu" : "test_bleu");
        int batch = ctx.config().training().batchSize();
        Shape[] inputs = {new Shape(batch, data.maxSourceLength()),
            new Shape(batch, data.maxTargetLength())};
        Block block = ctx.buildModel(data.modelSampleShape(), data.targetVocabulary().size());
        checkArchitecture(block, inputs, data, ctx);
        int epochs = ctx.config().training().epochs();
        int stepsPerEpoch = (int) Math.ceil(data.train().size() / (double) batch);
        int decodeLength = params.getInt("max_decode_length") == 0 ? data.maxTargetLength()
                : params.getInt("max_decode_length");
        try (Model model = Model.newInstance("trial-" + ctx.trial().index())) {
            model.setBlock(block);
            Tracker schedule = ctx.learningRateSchedule(stepsPerEpoch);
            RecordingLoss loss = new RecordingLoss(new Seq2SeqLoss("cross_entropy"));
            DeviceEvaluationTrainingListener evaluation = new DeviceEvaluationTrainingListener(
                    List.of(BatchMetric.weightedMean(loss, Seq2SeqLoss::targetTokens)));
            WeightPenalty penalty = ctx.penalty();
            TrackingTrainingListener tracking = ctx.trackingListener(evaluation, schedule,
                    stepsPerEpoch, epochMetrics(), data.validation() != null, block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(ctx.buildOptimizer(schedule))
                    .addTrainingListeners(evaluation, tracking);
            try (Trainer trainer = model.newTrainer(config)) {
                TrainingLoop loop = TrainingLoop.start(trainer, penalty, ctx.checkpoints(), inputs);
                Seq2SeqDecoding decoding = new Seq2SeqDecoding(trainer, data.targetVocabulary(),
                        decodeLength);
                Run run = new Run(trainer, loop, ctx, data, decoding, tracking, penalty,
                        params.getDouble("teacher_forcing_ratio"));
                run.fit(epochs);
                writeAttention(params, ctx, data, decoding);
                return run.test();
            }
        }
    }

    private static void tag(TrialContext ctx, Seq2SeqData data) {
        ctx.tracker().setTag("data.source_vocabulary_size",
                String.valueOf(data.sourceVocabulary().size()));
        ctx.tracker().setTag("data.target_vocabulary_size",
                String.valueOf(data.targetVocabulary().size()));
        ctx.tracker().setTag("data.max_source_length", String.valueOf(data.maxSourceLength()));
        ctx.tracker().setTag("data.max_target_length", String.valueOf(data.maxTargetLength()));
    }

    /**
     * Warns when most references are shorter than BLEU-4's longest n-gram: unsmoothed corpus BLEU
     * is 0 as soon as no candidate 4-gram matches, so over short targets (an Anki file cut by
     * {@code max_pairs} keeps its shortest pairs) it reads 0 beside an exact match of 0.63
     * (found by a helper session).
     *
     * @param references the reference token lists the BLEU metric is computed on
     * @param metric the metric's name, for the message
     * @return whether it warned
     */
    static boolean warnIfShortReferences(List<List<String>> references, String metric) {
        long shortOnes = references.stream().filter(r -> r.size() < Bleu.MAX_ORDER).count();
        if (references.isEmpty() || shortOnes * 2 <= references.size()) {
            return false;
        }
        LOG.warn("seq2seq: {} of {} references have fewer than {} tokens, so they hold no {}-gram and {} (BLEU-{},"
                + " unsmoothed) reads 0 unless the other outputs match 4-grams; read the exact match and token"
                + " accuracy beside it", shortOnes, references.size(), Bleu.MAX_ORDER, Bleu.MAX_ORDER, metric,
                Bleu.MAX_ORDER);
        return true;
    }

    private static Seq2SeqData data(LoadedDataset data, TrialContext ctx) {
        if (data instanceof Seq2SeqData d) {
            return d;
        }
        throw new IllegalArgumentException("task 'seq2seq' needs a seq2seq dataset (dates,"
                + " sentence-pairs); dataset '" + ctx.config().dataset().name() + "' gives "
                + data.getClass().getSimpleName());
    }

    /** Checks that the block maps (source, decoder input) to (logits, attention). */
    private static void checkArchitecture(Block block, Shape[] inputs, Seq2SeqData data,
            TrialContext ctx) {
        Shape logits = inputs[1].add(data.targetVocabulary().size());
        Shape weights = inputs[1].add(data.maxSourceLength());
        Shape[] out;
        try {
            out = block.getOutputShapes(inputs);
        } catch (RuntimeException e) {
            out = new Shape[0];
        }
        if (out.length != 2 || !logits.equals(out[0]) || !weights.equals(out[1])) {
            throw new IllegalArgumentException("task 'seq2seq' needs an architecture that maps"
                    + " (source, decoder input) to (logits, attention weights), such as"
                    + " 'seq2seq'; '" + ctx.config().model().name() + "' does not");
        }
    }

    private static void writeAttention(Params params, TrialContext ctx, Seq2SeqData data,
            Seq2SeqDecoding decoding) throws java.io.IOException {
        int count = params.getInt("attention_examples");
        RandomAccessDataset split = data.validation() != null ? data.validation() : data.test();
        List<List<String>> references = data.validation() != null ? data.validationTargets() : data.testTargets();
        if (count == 0 || !attends(decoding, split, ctx)) {
            return;
        }
        var files = AttentionArtifacts.write(decoding, data, split, references, count,
                ctx.tracker().artifactDir(), ctx.manager());
        LOG.info("seq2seq: wrote {} attention examples to {}", files.size(),
                ctx.tracker().artifactDir().resolve("attention"));
    }

    /** Whether the model's attention weights are not all zero (attention: none gives zeros). */
    private static boolean attends(Seq2SeqDecoding decoding, RandomAccessDataset split,
            TrialContext ctx) throws java.io.IOException {
        if (split.size() == 0) {
            return false;
        }
        try (var m = ctx.manager().newSubManager()) {
            NDList out = decoding.decode(split.get(m, 0).getData().head().expandDims(0));
            return out.get(1).sum().getFloat() > 0f;
        }
    }

    /**
     * Draws a teacher mask: step 0 (which reads {@code <bos>}) is 1 for every example, each
     * later entry 1 with probability {@code ratio}.
     *
     * @return the mask {@code (rows, steps)}, row by row
     */
    static float[] teacherMask(int rows, int steps, double ratio, Random random) {
        float[] mask = new float[rows * steps];
        for (int i = 0; i < rows; i++) {
            mask[i * steps] = 1;
            for (int t = 1; t < steps; t++) {
                mask[i * steps + t] = random.nextDouble() < ratio ? 1 : 0;
            }
        }
        return mask;
    }

    private static Map<String, String> epochMetrics() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("train_cross_entropy", "train_loss");
        m.put("validate_cross_entropy", "val_loss");
        return m;
    }

    /** The epoch loop and test of one trial. */
    private record Run(Trainer trainer, TrainingLoop loop, TrialContext ctx, Seq2SeqData data,
            Seq2SeqDecoding decoding, TrackingTrainingListener tracking, WeightPenalty penalty,
            double teacherForcing, NDList weights) {

        Run(Trainer trainer, TrainingLoop loop, TrialContext ctx, Seq2SeqData data,
                Seq2SeqDecoding decoding, TrackingTrainingListener tracking, WeightPenalty penalty,
                double teacherForcing) {
            this(trainer, loop, ctx, data, decoding, tracking, penalty, teacherForcing,
                    penalty.isZero() ? new NDList()
                            : WeightPenalty.weights(trainer.getModel().getBlock()));
        }

        void fit(int epochs) throws Exception {
            for (int epoch = loop.firstEpoch(); epoch <= epochs; epoch++) {
                // the epoch's teacher-forcing draws from the trial and epoch alone, so a continued
                // trial draws what the uninterrupted one did
                trainEpoch(data.train(), EpochSeeds.random(ctx.trial().seed(), epoch));
                EasyTrain.evaluateDataset(trainer, data.validation());
                logGreedy("val", data.validation(), data.validationTargets(), true);
                if (!loop.endEpoch(epoch)) {
                    return;
                }
            }
        }

        private void trainEpoch(Dataset train, Random random) throws Exception {
            for (Batch batch : trainer.iterateDataset(train)) {
                try (batch; Batch sampled = withTeacherMask(batch, random)) {
                    EasyTrain.trainBatch(trainer, sampled == null ? batch : sampled);
                    penalty.addGradients(weights);
                    trainer.step();
                    loop.stepDone();
                }
            }
        }

        /**
         * Adds a teacher mask {@code (batch, targetTime)} (1 = feed the true token), drawn per
         * example and step as in Bengio et al. (2015), or returns null when {@code
         * teacher_forcing_ratio} is 1 (a plain teacher-forced batch). One draw per step for the
         * whole batch made each step all teacher-forced or all free-running.
         */
        private Batch withTeacherMask(Batch batch, Random random) {
            if (teacherForcing >= 1.0) {
                return null;
            }
            Shape shape = batch.getData().get(1).getShape(); // (batch, targetTime)
            float[] mask = teacherMask((int) shape.get(0), (int) shape.get(1), teacherForcing, random);
            var m = batch.getManager().newSubManager();
            NDList data = new NDList(batch.getData().get(0), batch.getData().get(1),
                    m.create(mask, shape));
            return new Batch(m, data, batch.getLabels(), batch.getSize(), Batchifier.STACK,
                    Batchifier.STACK, batch.getProgress(), batch.getProgressTotal());
        }

        private Seq2SeqDecoding.Scores logGreedy(String prefix, Dataset split, List<List<String>> references,
                boolean duringTraining) throws Exception {
            if (split == null) {
                return null;
            }
            Seq2SeqDecoding.Scores s = decoding.score(split, references);
            Map<String, Double> scores = new LinkedHashMap<>();
            scores.put(prefix + "_token_accuracy", s.tokenAccuracy());
            scores.put(prefix + "_exact_match", s.exactMatch());
            scores.put(prefix + "_bleu", s.bleu());
            if (duringTraining) { // the epoch's own metrics, which early stopping and pruners watch
                scores.forEach(tracking::logEpochMetric);
            } else {
                ctx.tracker().logMetrics(scores, tracking.step(), tracking.epoch() - 1);
            }
            return s;
        }

        Map<String, Double> test() throws Exception {
            Seq2SeqDecoding.Scores s = logGreedy("test", data.test(), data.testTargets(), false);
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("test_token_accuracy", s.tokenAccuracy());
            out.put("test_exact_match", s.exactMatch());
            out.put("test_bleu", s.bleu());
            LOG.info("seq2seq: test on {} examples: {}", s.examples(), out);
            return out;
        }
    }
}
