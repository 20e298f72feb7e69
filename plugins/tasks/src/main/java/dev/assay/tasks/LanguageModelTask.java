package dev.assay.tasks;

import static dev.assay.plugin.ParamType.INT;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.Batchifier;
import dev.assay.data.LanguageModelData;
import dev.assay.data.LoadedDataset;
import dev.assay.plugin.MetricKind;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import dev.assay.plugin.TaskProvider;
import dev.assay.train.BatchMetric;
import dev.assay.train.DeviceEvaluationTrainingListener;
import dev.assay.train.RecordingLoss;
import dev.assay.train.SequenceModel;
import dev.assay.train.TrackingTrainingListener;
import dev.assay.train.TrainingLoop;
import dev.assay.train.TrialContext;
import dev.assay.train.WeightPenalty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Next-token prediction (word-level language modelling) with truncated backpropagation through
 * time (Williams &amp; Peng 1990; as in Zaremba et al. 2014). Each token stream is cut into
 * {@code B = training.batch_size} parallel rows, {@code (B, L)}; an epoch walks windows of
 * {@code bptt_length} steps left to right, feeding {@code (B, bptt)} tokens and predicting the
 * next token at every step ({@code (B, bptt, vocabulary)} logits); the recurrent state is carried
 * from window to window but detached, so gradients flow back at most {@code bptt_length} steps.
 * Gradient clipping is {@code training.optimizer.clip_gradient}.
 *
 * <p>Perplexity is {@code exp(mean cross-entropy in nats per predicted token)} (Jelinek et al.
 * 1977). Validation and test streams are read in {@code eval_batch_size} rows (default 1: the
 * whole stream as one row, every token after the first predicted with all the text before it in
 * the state), independent of {@code training.batch_size}: cut into the training batch's rows, the
 * same weights scored 35.0 at one row and 42.1 at 128 (each row starting from a zero state in
 * mid-text, its first token and the stream's remainder unscored), so a sweep over batch sizes
 * compared perplexities of different tokens. Metrics: {@code batch_loss} (cross-entropy of a window) every
 * {@code training.log_every_n_steps} steps; per epoch {@code train_loss}, {@code train_accuracy}
 * (next-token), {@code train_perplexity}, {@code val_loss}, {@code val_perplexity} (with a
 * validation stream), with a weight penalty {@code penalty} and {@code train_objective}
 * ({@code train_loss} plus penalty), {@code epoch_time_s}, {@code samples_per_s} (predicted tokens per second);
 * at the end {@code test_loss}, {@code test_perplexity} and {@code test_perplexity_unigram}: the
 * perplexity on the same test targets of a unigram model of the training stream with add-one
 * smoothing, {@code p(w) = (count(w) + 1) / (N + V)} over the V tokens other than {@code <pad>}
 * (Laplace smoothing; Jurafsky & Martin, "Speech and Language Processing", 3rd ed. draft, ch. 3, "Laplace Smoothing").
 */
public final class LanguageModelTask implements TaskProvider {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LanguageModelTask.class);


    private static final Map<String, MetricKind> METRICS = MetricKind.declare(List.of("batch_loss", "learning_rate"),
                List.of("train_loss", "train_accuracy", "train_perplexity", "val_loss", "val_perplexity",
                    "penalty", "train_objective", "epoch_time_s", "samples_per_s"),
                List.of("test_loss", "test_perplexity", "test_perplexity_unigram"));


    private static final List<ParamDescriptor> PARAMS = List.of(
            ParamDescriptor.of("bptt_length", INT, 35L,
                    "steps per truncated-BPTT window (gradient horizon)").range(2, 10000),
            ParamDescriptor.of("eval_batch_size", INT, 1L,
                    "rows the validation and test streams are cut into, each read with its state"
                    + " carried; 1 scores every token after the first; more is faster but drops each"
                    + " row's first token and the remainder").range(1, 4096));

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
     * Trains on a tokenized corpus.
     *
     * @return {@link dev.assay.data.LanguageModelData}
     */
    @Override
    public Class<? extends dev.assay.data.LoadedDataset> dataType() {
        return dev.assay.data.LanguageModelData.class;
    }

    /**
     * Trains a sequence model that predicts every next token (a recurrent network).
     *
     * @return {@link dev.assay.train.SequenceModel}
     */
    @Override
    public Class<?> blockType() {
        return dev.assay.train.SequenceModel.class;
    }

    /**
     * A language model predicts every next token, so a recurrent network's {@code pooling} (of
     * its states into one for classification) is never applied.
     *
     * @return {@code pooling}
     */
    @Override
    public java.util.Set<String> unusedModelParams() {
        return java.util.Set.of("pooling");
    }

    /**
     * A bidirectional recurrent network's backward direction has read the tokens a language model
     * must predict (the network refuses it when the model is built: {@code
     * RecurrentNetwork.setOutputEveryStep}); refused when the file is read instead.
     *
     * @return {@code bidirectional} and why
     */
    @Override
    public java.util.Map<String, String> refusedModelParams() {
        return java.util.Map.of("bidirectional", "its backward direction reads the tokens a language model must"
                + " predict, so its perplexity would be meaningless; set bidirectional: false");
    }

    @Override
    public String description() {
        return "next-token language model, truncated BPTT; metrics perplexity vs unigram";
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return PARAMS;
    }

    /**
     * Trains and tests one trial.
     *
     * @param params {@code bptt_length}, {@code eval_batch_size}
     * @param ctx the trial
     * @return {@code test_loss}, {@code test_perplexity}, {@code test_perplexity_unigram}
     * @throws IllegalArgumentException if the dataset is not a language-model corpus, the
     *     architecture not a {@link SequenceModel}, or a stream is too short for one window
     * @throws ai.djl.TrainingDivergedException if the loss becomes NaN or infinite
     * @throws Exception if loading or training fails
     */
    @Override
    public Map<String, Double> run(Params params, TrialContext ctx) throws Exception {
        LanguageModelData data = data(ctx.loadDataset(), ctx);
        int bptt = params.getInt("bptt_length");
        int batch = ctx.config().training().batchSize();
        int evalBatch = params.getInt("eval_batch_size");
        warnIfNoValidation(data.validationTokens().length, evalBatch);
        Streams.of(data.testTokens(), evalBatch, bptt, "test"); // refused now, not after training (as it was)
        int vocab = data.vocabulary().size();
        ctx.tracker().setTag("data.vocabulary_size", String.valueOf(vocab));
        Block block = ctx.buildModel(new Shape(bptt), vocab);
        SequenceModel seq = SequenceClassificationTask.sequenceModel(block, ctx);
        seq.bindVocabulary(data.vocabulary());
        seq.setOutputEveryStep(true);
        Streams train = Streams.of(data.trainTokens(), batch, bptt, "training");
        try (Model model = Model.newInstance("trial-" + ctx.trial().index())) {
            model.setBlock(block);
            Tracker schedule = ctx.learningRateSchedule(train.windows());
            Loss loss = new RecordingLoss(Loss.softmaxCrossEntropyLoss("cross_entropy"));
            DeviceEvaluationTrainingListener evaluation = new DeviceEvaluationTrainingListener(List.of(
                    // mean per token: a window cut short at the end of the stream counts its tokens only
                    BatchMetric.weightedMean(loss, (labels, predictions) -> labels.head().size()),
                    BatchMetric.accuracy("accuracy")));
            Map<String, String> names = new LinkedHashMap<>();
            names.put("train_cross_entropy", "train_loss");
            names.put("train_accuracy", "train_accuracy");
            // with a penalty, also penalty and train_objective per epoch, as every task logs them
            TrackingTrainingListener tracking = ctx.trackingListener(evaluation, schedule,
                    train.windows(), names, false, block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(ctx.buildOptimizer(schedule))
                    .addTrainingListeners(evaluation, tracking);
            try (Trainer trainer = model.newTrainer(config)) {
                WeightPenalty penalty = ctx.penalty();
                TrainingLoop loop = TrainingLoop.start(trainer, penalty, ctx.checkpoints(),
                        new Shape(batch, bptt));
                NDList weights = penalty.isZero() ? new NDList() : WeightPenalty.weights(block);
                for (int epoch = loop.firstEpoch(); epoch <= ctx.config().training().epochs();
                        epoch++) {
                    trainEpoch(trainer, loop, train, penalty, weights);
                    logValidation(trainer, data, evalBatch, bptt, tracking, evaluation);
                    if (!loop.endEpoch(epoch)) {
                        break;
                    }
                }
                return test(trainer, data, evalBatch, bptt, ctx, tracking);
            }
        }
    }

    private static LanguageModelData data(LoadedDataset data, TrialContext ctx) {
        if (data instanceof LanguageModelData d) {
            return d;
        }
        throw new IllegalArgumentException("task 'language_model' needs a corpus dataset"
                + " (kjv-bible, text-corpus, wikitext); dataset '"
                + ctx.config().dataset().name() + "' gives " + data.getClass().getSimpleName());
    }

    /** One pass over the training rows, window by window, state carried and detached. */
    private static void trainEpoch(Trainer trainer, TrainingLoop loop, Streams train,
            WeightPenalty penalty, NDList weights) {
        NDManager root = trainer.getManager();
        try (NDManager epoch = root.newSubManager()) {
            NDArray rows = train.rows(epoch);
            NDList state = new NDList();
            for (int w = 0; w < train.windows(); w++) {
                try (NDManager step = epoch.newSubManager()) {
                    NDList next = trainWindow(trainer, train, rows, w, state, step, penalty,
                            weights);
                    loop.stepDone();
                    state.close();
                    state = keep(next, epoch);
                }
            }
            state.close();
        }
    }

    private static NDList trainWindow(Trainer trainer, Streams train, NDArray rows, int w,
            NDList state, NDManager step, WeightPenalty penalty, NDList weights) {
        NDArray[] xy = train.window(rows, w, step);
        NDList inputs = new NDList(xy[0]);
        inputs.addAll(state);
        NDList labels = new NDList(xy[1].reshape(-1));
        NDList out;
        NDList predictions;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            out = trainer.forward(inputs);
            predictions = new NDList(flatten(out.head()));
            NDArray loss = trainer.getLoss().evaluate(labels, predictions);
            collector.backward(loss);
        }
        // the update runs after the recording scope, as EasyTrain's does: an optimizer that writes
        // the weight in place from Java (the local parameter server) must not be recorded
        Batch batch = new Batch(step, inputs, labels, (int) xy[1].size(),
                Batchifier.STACK, Batchifier.STACK, w, train.windows());
        TrainingListener.BatchData data = new TrainingListener.BatchData(batch,
                Map.of(labels.head().getDevice(), labels),
                Map.of(labels.head().getDevice(), predictions));
        trainer.notifyListeners(l -> l.onTrainingBatch(trainer, data));
        penalty.addGradients(weights);
        trainer.step();
        return out.subNDList(1);
    }

    /** {@code (B, T, V)} logits → {@code (B·T, V)}. */
    private static NDArray flatten(NDArray logits) {
        return logits.reshape(-1, logits.getShape().get(2));
    }

    /** Detaches the states from the graph and moves them to a longer-lived manager. */
    private static NDList keep(NDList states, NDManager manager) {
        NDList out = new NDList();
        for (NDArray s : states) {
            NDArray d = s.stopGradient();
            d.attach(manager);
            out.add(d);
        }
        return out;
    }

    /**
     * Warns before training when the validation stream is too short for {@code eval_batch_size}
     * rows of at least 2 tokens, so the run will log no {@code val_*} metric ({@link #logValidation}
     * skips it). An empty stream is the dataset's warning already. The datasets used to warn with
     * the training batch size and a fixed window instead: a false alarm for 17 tokens that did
     * validate, and no warning for 61 tokens with {@code eval_batch_size: 64}, which did not.
     *
     * @param tokens validation tokens
     * @param evalBatch {@code eval_batch_size}
     * @return whether it warned
     */
    static boolean warnIfNoValidation(int tokens, int evalBatch) {
        if (tokens == 0 || tokens >= evalBatch * 2) {
            return false;
        }
        LOG.warn("language_model: the validation stream has only {} tokens, fewer than the {} that eval_batch_size"
                + " {} needs (rows of at least 2 tokens), so the run will have no val_loss or val_perplexity and early"
                + " stopping or pruning on them nothing to watch; lower eval_batch_size to at most {} or give more"
                + " validation text", tokens, evalBatch * 2, evalBatch, tokens / 2);
        return true;
    }

    private static void logValidation(Trainer trainer, LanguageModelData data, int evalBatch, int bptt,
            TrackingTrainingListener tracking, DeviceEvaluationTrainingListener evaluation) {
        // this epoch's training loss: its results are final only after onEpoch, which comes later
        float trainLoss = evaluation.trainMeanSoFar("cross_entropy");
        tracking.logEpochMetric("train_perplexity", Math.exp(trainLoss));
        if (data.validationTokens().length < evalBatch * 2) {
            return;
        }
        double loss = evaluate(trainer, Streams.of(data.validationTokens(), evalBatch, bptt,
                "validation"));
        tracking.logEpochMetric("val_loss", loss);
        tracking.logEpochMetric("val_perplexity", Math.exp(loss));
    }

    /**
     * Mean cross-entropy over every predicted token of a stream, in evaluation mode, state
     * carried across windows.
     *
     * @return nats per token
     */
    static double evaluate(Trainer trainer, Streams streams) {
        double sum = 0;
        long count = 0;
        Loss loss = Loss.softmaxCrossEntropyLoss();
        try (NDManager all = trainer.getManager().newSubManager()) {
            NDArray rows = streams.rows(all);
            NDList state = new NDList();
            for (int w = 0; w < streams.windows(); w++) {
                try (NDManager step = all.newSubManager()) {
                    NDArray[] xy = streams.window(rows, w, step);
                    NDList inputs = new NDList(xy[0]);
                    inputs.addAll(state);
                    NDList out = trainer.evaluate(inputs);
                    long n = xy[1].size();
                    sum += loss.evaluate(new NDList(xy[1].reshape(-1)),
                            new NDList(flatten(out.head()))).getFloat() * n;
                    count += n;
                    state.close();
                    state = keep(out.subNDList(1), all);
                }
            }
        }
        return sum / count;
    }

    private static Map<String, Double> test(Trainer trainer, LanguageModelData data, int evalBatch,
            int bptt, TrialContext ctx, TrackingTrainingListener tracking) {
        Streams test = Streams.of(data.testTokens(), evalBatch, bptt, "test");
        double loss = evaluate(trainer, test);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("test_loss", loss);
        out.put("test_perplexity", Math.exp(loss));
        out.put("test_perplexity_unigram", Unigram.perplexity(data.trainTokens(),
                data.vocabulary().size(), test.targets()));
        int lastEpoch = tracking.epoch() - 1;
        ctx.tracker().logMetrics(out, tracking.step(), lastEpoch);
        return out;
    }
}
