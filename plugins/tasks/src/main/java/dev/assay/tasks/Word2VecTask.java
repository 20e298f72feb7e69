package dev.assay.tasks;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import dev.assay.data.LanguageModelData;
import dev.assay.data.LoadedDataset;
import dev.assay.plugin.MetricKind;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import dev.assay.plugin.TaskProvider;
import dev.assay.train.BatchMetric;
import dev.assay.train.DeviceEvaluationTrainingListener;
import dev.assay.train.EpochAlignedSchedule;
import dev.assay.train.EpochSeeds;
import dev.assay.train.RecordingLoss;
import dev.assay.train.TrackingTrainingListener;
import dev.assay.train.TrainingLoop;
import dev.assay.train.TrialContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Word embeddings with word2vec (Mikolov et al. 2013a, "Efficient Estimation of Word
 * Representations in Vector Space"; 2013b, "Distributed Representations of Words and Phrases and
 * their Compositionality"): CBOW or skip-gram, trained with negative sampling, on any corpus
 * dataset that yields {@link LanguageModelData} ({@code text-corpus}, {@code kjv-bible},
 * {@code wikitext}), with architecture {@code word2vec} (two {@code (vocabulary, embedding_dim)}
 * tables named {@value #INPUT_VECTORS} and {@value #OUTPUT_VECTORS}).
 *
 * <p>Examples come from {@link Word2VecExamples} (sentences = lines, subsampling with threshold
 * {@code subsample}, a window drawn from {@code 1..window} per centre word); each has input words
 * {@code (B, C)} ({@code C = 1} for skip-gram, {@code 2·window} masked for CBOW) and candidates
 * {@code (B, 1 + negatives)}: the positive word and K negatives from unigram^0.75
 * ({@link Word2VecNoiseSampler}). The loss is {@link Word2VecLoss}, the binary logistic loss of
 * the 1 + K pairs, summed over the batch for the gradient (so a plain SGD learning rate is per
 * pair, as in the reference code: 0.025 for skip-gram, 0.05 for CBOW) and reported per example
 * (nats). Optimizer, learning-rate schedule
 * (over update steps; steps per epoch from the first epoch's example count) and batch size come
 * from {@code training}; {@code training.regularization} applies to both tables, as {@code mean
 * loss per example + penalty} (its gradient is scaled by the batch size to match the summed loss's),
 * so {@code l1}/{@code l2} mean what they mean for the other tasks whatever the batch size.
 *
 * <p>Metrics: {@code batch_loss} and {@code learning_rate} every
 * {@code training.log_every_n_steps} steps; per epoch {@code train_loss}, {@code val_loss} (the
 * same objective on validation examples drawn once with a fixed seed, so epochs compare),
 * with a weight penalty {@code penalty} and {@code train_objective} ({@code train_loss} plus
 * penalty), {@code epoch_time_s}, {@code samples_per_s} and {@code pairs_per_s} (positive pairs trained per
 * second of the epoch's training pass); at the end {@code test_loss} (same objective, test split;
 * not comparable between CBOW and skip-gram), {@code query_top1_cosine} (mean cosine of each query
 * word's nearest neighbour; descriptive, not a quality score) and {@code test_ppmi_spearman}
 * ({@link Word2VecPpmiScore}: agreement with test-split PPMI similarity; comparable across modes).
 * A NaN or infinite loss marks the trial diverged.
 *
 * <p>Artifacts (in the run's artifact directory): {@code vectors.txt}, the input vectors in
 * word2vec text format (every token but {@code <pad>}; loadable as
 * {@code model.params.pretrained_embeddings} of {@code lstm}/{@code gru} for
 * {@code sequence_classification}), and {@code neighbours.json}, the {@code neighbours} nearest
 * words by cosine of each query word.
 */
public final class Word2VecTask implements TaskProvider {

    private static final Map<String, MetricKind> METRICS = MetricKind.declare(List.of("batch_loss", "learning_rate"),
                List.of("train_loss", "val_loss", "penalty", "train_objective", "epoch_time_s", "samples_per_s",
                    "pairs_per_s"),
                List.of("test_loss", "query_top1_cosine", "test_ppmi_spearman"));


    /** The parameter name of the input (word) vectors in the architecture's block. */
    static final String INPUT_VECTORS = "input_vectors";
    /** The parameter name of the output vectors in the architecture's block. */
    static final String OUTPUT_VECTORS = "output_vectors";
    /** The loss (evaluator) name. */
    static final String LOSS = "negative_sampling";

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
     * Trains input and output word vectors.
     *
     * @return {@link dev.assay.train.Word2VecModel}
     */
    @Override
    public Class<?> blockType() {
        return dev.assay.train.Word2VecModel.class;
    }

    @Override
    public String description() {
        return "word2vec embeddings (CBOW/skip-gram, negative sampling) on a corpus; writes"
                + " vectors.txt and neighbours.json";
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return Word2VecSettings.PARAMS;
    }

    /**
     * Trains word vectors for one trial and writes the artifacts.
     *
     * @param params {@code mode}, {@code window}, {@code negatives}, {@code subsample},
     *     {@code query_words}, {@code neighbours}, {@code eval_words}
     * @param ctx the trial
     * @return {@code test_loss}, {@code query_top1_cosine} and {@code test_ppmi_spearman} (each
     *     only when defined)
     * @throws IllegalArgumentException if the dataset is not a corpus, the architecture lacks the
     *     two tables, a parameter is out of range, or the training split yields no pairs
     * @throws ai.djl.TrainingDivergedException if the loss becomes NaN or infinite
     * @throws IOException if the dataset cannot be read or an artifact cannot be written
     */
    @Override
    public Map<String, Double> run(Params params, TrialContext ctx) throws IOException {
        Word2VecSettings settings = Word2VecSettings.of(params);
        LanguageModelData data = data(ctx.loadDataset(), ctx);
        Word2VecExamples train = Word2VecExamples.of(data.trainTokens(), data.vocabulary());
        Word2VecSubsampler subsampler = new Word2VecSubsampler(train.counts(),
                settings.subsample());
        Random random = new Random(ctx.trial().seed());
        Word2VecExamples.Epoch first = train.epoch(settings, subsampler, random, true);
        if (first.size() == 0) {
            throw new IllegalArgumentException("task 'word2vec' found no (word, context) pairs"
                    + " in the training split of dataset '" + ctx.config().dataset().name()
                    + "': it needs lines of at least two known words");
        }
        ctx.tracker().setTag("data.vocabulary_size", String.valueOf(data.vocabulary().size()));
        ctx.tracker().setTag("word2vec.train_words", String.valueOf(train.words()));
        Block block = ctx.buildModel(new Shape(settings.contextWidth()),
                data.vocabulary().size());
        inputVectors(block, ctx);
        Run run = new Run(settings, data, train, subsampler, random, ctx);
        return run.train(block, first);
    }

    private static LanguageModelData data(LoadedDataset data, TrialContext ctx) {
        if (data instanceof LanguageModelData d) {
            return d;
        }
        throw new IllegalArgumentException("task 'word2vec' needs a corpus dataset"
                + " (kjv-bible, text-corpus, wikitext); dataset '"
                + ctx.config().dataset().name() + "' gives " + data.getClass().getSimpleName());
    }

    /** The block's input-vector parameter, or an error naming the architecture. */
    static Parameter inputVectors(Block block, TrialContext ctx) {
        var parameters = block.getParameters();
        if (!parameters.contains(INPUT_VECTORS) || !parameters.contains(OUTPUT_VECTORS)) {
            throw new IllegalArgumentException("task 'word2vec' needs architecture 'word2vec'"
                    + " (a block with parameters '" + INPUT_VECTORS + "' and '" + OUTPUT_VECTORS
                    + "'); model.architecture '" + ctx.config().model().name() + "' has "
                    + parameters.keys());
        }
        return parameters.get(INPUT_VECTORS);
    }

    /** One trial's training: the state shared by its steps. */
    private static final class Run {
        private final Word2VecSettings settings;
        private final LanguageModelData data;
        private final Word2VecExamples train;
        private final Word2VecSubsampler subsampler;
        private final Random random;
        private final TrialContext ctx;
        private final int batchSize;
        private final Word2VecNoiseSampler noise;

        Run(Word2VecSettings settings, LanguageModelData data, Word2VecExamples train,
                Word2VecSubsampler subsampler, Random random, TrialContext ctx) {
            this.settings = settings;
            this.data = data;
            this.train = train;
            this.subsampler = subsampler;
            this.random = random;
            this.ctx = ctx;
            this.batchSize = ctx.config().training().batchSize();
            this.noise = new Word2VecNoiseSampler(train.counts());
        }

        Map<String, Double> train(Block block, Word2VecExamples.Epoch first) throws IOException {
            int epochs = ctx.config().training().epochs();
            Word2VecExamples.Epoch validation = heldOut(data.validationTokens(), 1);
            try (Model model = Model.newInstance("trial-" + ctx.trial().index())) {
                model.setBlock(block);
                // epochs differ in length (subsampling and windows are drawn again): each covers its share
                EpochAlignedSchedule schedule = new EpochAlignedSchedule(
                        ctx.learningRateSchedule(first.batches(batchSize)), first.batches(batchSize));
                RecordingLoss loss = new RecordingLoss(new Word2VecLoss(LOSS));
                DeviceEvaluationTrainingListener evaluation = new DeviceEvaluationTrainingListener(
                        List.of(BatchMetric.meanOfExamples(loss)));
                TrackingTrainingListener tracking = tracking(evaluation, schedule, first,
                        validation.size() > 0, block);
                DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                        .optOptimizer(ctx.buildOptimizer(schedule))
                        .addTrainingListeners(evaluation, tracking);
                try (Trainer trainer = model.newTrainer(config)) {
                    int k1 = 1 + settings.negatives();
                    int width = settings.contextWidth();
                    TrainingLoop epochs0 = TrainingLoop.start(trainer, ctx.penalty(),
                            ctx.checkpoints(), new Shape(batchSize, width),
                            new Shape(batchSize, width), new Shape(batchSize, k1));
                    Word2VecTraining loop = new Word2VecTraining(trainer, settings, noise,
                            batchSize, ctx.penalty());
                    Word2VecExamples.Epoch epoch = first;
                    for (int e = epochs0.firstEpoch(); e <= epochs; e++) {
                        // epoch 1 goes on drawing from the source that drew its examples; each later
                        // epoch's subsampling, windows and negatives from the trial and epoch alone,
                        // so a continued trial draws what the uninterrupted one did
                        Random draws = e == 1 ? random : EpochSeeds.random(ctx.trial().seed(), e);
                        epoch = e == 1 ? first : train.epoch(settings, subsampler, draws, true);
                        schedule.beginEpoch(e, epochs0.step(), Math.max(1, epoch.batches(batchSize)));
                        trainEpoch(loop, epoch, validation, tracking, draws);
                        epochs0.stepsDone(epoch.batches(batchSize));
                        if (!epochs0.endEpoch(e)) {
                            break;
                        }
                    }
                    return finish(block, loop, tracking);
                }
            }
        }

        private TrackingTrainingListener tracking(DeviceEvaluationTrainingListener evaluation,
                Tracker schedule, Word2VecExamples.Epoch first, boolean hasValidation, Block block) {
            Map<String, String> names = new LinkedHashMap<>();
            names.put("train_" + LOSS, "train_loss");
            names.put("validate_" + LOSS, "val_loss");
            // with a penalty, also penalty and train_objective per epoch, as every task logs them
            return ctx.trackingListener(evaluation, schedule, first.batches(batchSize), names,
                    hasValidation, block);
        }

            private void trainEpoch(Word2VecTraining loop,
                Word2VecExamples.Epoch epoch, Word2VecExamples.Epoch validation,
                TrackingTrainingListener tracking, Random draws) {
            long start = System.nanoTime();
            loop.train(epoch, draws);
            double seconds = (System.nanoTime() - start) / 1e9;
            loop.validate(validation, new Random(ctx.trial().seed() + 2));
            tracking.logEpochMetric("pairs_per_s", epoch.size() / seconds);
        }

        /** Examples of a held-out stream, drawn once with a seed derived from the trial's. */
        private Word2VecExamples.Epoch heldOut(int[] stream, int salt) {
            return Word2VecExamples.of(stream, data.vocabulary()).epoch(settings, subsampler,
                    new Random(ctx.trial().seed() + salt), false);
        }

        private Map<String, Double> finish(Block block, Word2VecTraining loop,
                TrackingTrainingListener tracking) throws IOException {
            Parameter input = inputVectors(block, ctx);
            int dim = (int) input.getArray().getShape().get(1);
            Word2VecVectors vectors = new Word2VecVectors(data.vocabulary(),
                    input.getArray().toFloatArray(), dim);
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("test_loss", loop.meanLoss(heldOut(data.testTokens(), 3),
                    new Random(ctx.trial().seed() + 4)));
            out.put("query_top1_cosine", writeArtifacts(vectors));
            if (settings.evalWords() > 0) {
                List<int[]> test = Word2VecExamples.of(data.testTokens(), data.vocabulary())
                        .sentences();
                out.put("test_ppmi_spearman", Word2VecPpmiScore.score(test,
                        data.vocabulary().size(), vectors, settings.window(),
                        settings.evalWords()));
            }
            out.values().removeIf(v -> !Double.isFinite(v));
            int lastEpoch = tracking.epoch() - 1;
            ctx.tracker().logMetrics(out, tracking.step(), lastEpoch);
            return out;
        }

        /** Writes vectors.txt and neighbours.json; returns the mean top-1 cosine (NaN if none). */
        private double writeArtifacts(Word2VecVectors vectors) throws IOException {
            Path dir = ctx.tracker().artifactDir();
            vectors.writeText(dir.resolve("vectors.txt"));
            List<String> words = settings.queryWords().isEmpty()
                    ? vectors.defaultQueries(train.counts(), 5) : settings.queryWords();
            List<Word2VecVectors.Query> queries = vectors.queries(words, settings.neighbours(),
                    train.counts());
            List<String> missing = new ArrayList<>(words);
            queries.forEach(q -> missing.remove(q.word()));
            Word2VecVectors.writeNeighbours(dir.resolve("neighbours.json"), queries,
                    settings.neighbours(), missing);
            ctx.tracker().setTag("word2vec.query_words", String.join(",", words));
            return queries.stream().filter(q -> !q.neighbours().isEmpty())
                    .mapToDouble(q -> q.neighbours().get(0).cosine()).average().orElse(Double.NaN);
        }
    }
}
