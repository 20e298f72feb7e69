package dev.assay.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.architectures.PretrainedVectors;
import dev.assay.data.Vocabulary;
import dev.assay.plugin.Params;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of the word2vec task that need no engine: sampling, examples, vectors, scores. */
class Word2VecComponentsTest {

    /** pad, unk, a..e, eos. */
    private static final Vocabulary VOCAB = Vocabulary.of(List.of("<pad>", "<unk>", "a", "b",
            "c", "d", "e", "<eos>"));

    @TempDir
    Path dir;

    private static Word2VecSettings settings(String mode, int window, double subsample) {
        return Word2VecSettings.of(Params.resolve(Word2VecSettings.PARAMS,
                Map.of("mode", mode, "window", window, "subsample", subsample)));
    }

    @Test
    void noiseDistributionIsTheUnigramCountsToThePowerThreeQuarters() {
        // 16^0.75 = 8, 81^0.75 = 27, 1^0.75 = 1: probabilities 8/36, 27/36, 1/36
        long[] counts = {0, 0, 16, 81, 1, 0};
        Word2VecNoiseSampler noise = new Word2VecNoiseSampler(counts);
        assertThat(noise.probability(2)).isCloseTo(8 / 36.0, within(1e-12));
        assertThat(noise.probability(3)).isCloseTo(27 / 36.0, within(1e-12));
        assertThat(noise.probability(4)).isCloseTo(1 / 36.0, within(1e-12));
        assertThat(noise.probability(0)).isZero();
        int[] drawn = new int[counts.length];
        Random random = new Random(1);
        int n = 360_000;
        for (int i = 0; i < n; i++) {
            drawn[noise.sample(random)]++;
        }
        assertThat(drawn[0] + drawn[1] + drawn[5]).isZero();
        assertThat(drawn[2] / (double) n).isCloseTo(8 / 36.0, within(0.004));
        assertThat(drawn[3] / (double) n).isCloseTo(27 / 36.0, within(0.004));
        assertThat(drawn[4] / (double) n).isCloseTo(1 / 36.0, within(0.002));
    }

    @Test
    void negativeEqualToThePositiveWordIsRedrawn() {
        Word2VecNoiseSampler noise = new Word2VecNoiseSampler(new long[] {0, 0, 16, 81, 1});
        Random random = new Random(2);
        int[] drawn = new int[5];
        for (int i = 0; i < 90_000; i++) {
            drawn[noise.sampleOtherThan(3, random)]++;
        }
        assertThat(drawn[3]).isZero();
        assertThat(drawn[2] / 90_000.0).isCloseTo(8 / 9.0, within(0.005));
    }

    @Test
    void noiseNeedsTwoDistinctWords() {
        assertThatThrownBy(() -> new Word2VecNoiseSampler(new long[] {0, 0, 5}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("negative sampling needs at least 2 distinct training words, got 1");
    }

    @Test
    void keepProbabilityIsSquareRootOfThresholdOverFrequencyCappedAtOne() {
        // f = 0.01, t = 1e-3: sqrt(0.1)
        assertThat(Word2VecSubsampler.keepProbability(10, 1000, 1e-3))
                .isCloseTo(0.31622776601683794, within(1e-15));
        // f = 0.25: sqrt(0.004)
        assertThat(Word2VecSubsampler.keepProbability(250, 1000, 1e-3))
                .isCloseTo(0.0632455532033676, within(1e-15));
        assertThat(Word2VecSubsampler.keepProbability(1, 1000, 1e-3)).isEqualTo(1.0);
        assertThat(Word2VecSubsampler.keepProbability(1, 100_000, 1e-3)).isEqualTo(1.0);
        assertThat(Word2VecSubsampler.keepProbability(900, 1000, 0)).isEqualTo(1.0);
        assertThatThrownBy(() -> Word2VecSubsampler.keepProbability(1, 2, -1))
                .hasMessage("subsample threshold must be >= 0, got -1.0");
    }

    @Test
    void subsamplingKeepsFrequentWordsAtTheirKeepRate() {
        // "a" is 90% of 10,000 words: keep sqrt(0.01 / 0.9) = 0.1054; "b" (10%) keeps 0.3162
        int[] stream = new int[10_000];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = i % 10 == 0 ? 3 : 2;
        }
        Word2VecExamples examples = Word2VecExamples.of(stream, VOCAB);
        Word2VecSubsampler subsampler = new Word2VecSubsampler(examples.counts(), 0.01);
        Word2VecExamples.Epoch epoch = examples.epoch(settings("cbow", 1, 0.01), subsampler,
                new Random(3), false);
        int[] kept = new int[VOCAB.size()];
        for (int t : epoch.targets()) {
            kept[t]++;
        }
        assertThat(kept[2] / 9000.0).isCloseTo(Math.sqrt(0.01 / 0.9), within(0.01));
        assertThat(kept[3] / 1000.0).isCloseTo(Math.sqrt(0.1), within(0.04));
    }

    @Test
    void skipGramPairsStayInsideSentencesAndSkipUnknownWords() {
        // a b <unk> c <eos> d e <eos>: sentences [a b c] and [d e]; window 1
        int[] stream = {2, 3, 1, 4, 7, 5, 6, 7};
        Word2VecExamples examples = Word2VecExamples.of(stream, VOCAB);
        assertThat(examples.counts()).containsExactly(0, 0, 1, 1, 1, 1, 1, 0);
        Word2VecExamples.Epoch epoch = examples.epoch(settings("skipgram", 1, 0),
                new Word2VecSubsampler(examples.counts(), 0), new Random(4), false);
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < epoch.size(); i++) {
            pairs.add(VOCAB.token(epoch.inputs()[epoch.offsets()[i]]) + ">"
                    + VOCAB.token(epoch.targets()[i]));
        }
        assertThat(pairs).containsExactly("a>b", "b>a", "b>c", "c>b", "d>e", "e>d");
    }

    @Test
    void cbowBatchPadsAndMasksContextsAndPutsThePositiveFirst() {
        int[] stream = {2, 3, 4, 7, 5, 6, 7};
        Word2VecExamples examples = Word2VecExamples.of(stream, VOCAB);
        Word2VecSettings cbow = settings("cbow", 1, 0);
        Word2VecExamples.Epoch epoch = examples.epoch(cbow,
                new Word2VecSubsampler(examples.counts(), 0), new Random(5), false);
        assertThat(epoch.targets()).containsExactly(2, 3, 4, 5, 6);
        Word2VecExamples.Batch batch = Word2VecExamples.batch(epoch, 0, 3, cbow.contextWidth(),
                new Word2VecNoiseSampler(examples.counts()), 3, new Random(6));
        // (B, C) = (3, 2): [b, pad], [a, c], [b, pad]
        assertThat(batch.inputs()).containsExactly(3, 0, 2, 4, 3, 0);
        assertThat(batch.mask()).containsExactly(1, 0, 1, 1, 1, 0);
        // (B, 1 + K) = (3, 4)
        assertThat(batch.labels()).containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0);
        for (int r = 0; r < 3; r++) {
            float positive = batch.candidates()[r * 4];
            assertThat(positive).isEqualTo(epoch.targets()[r]);
            for (int j = 1; j < 4; j++) {
                assertThat(batch.candidates()[r * 4 + j]).isNotEqualTo(positive).isBetween(2f, 6f);
            }
        }
    }

    @Test
    void settingsNameTheBadValue() {
        assertThatThrownBy(() -> new Word2VecSettings(Word2VecSettings.Mode.CBOW, 0, 5, 1e-3,
                List.of(), 10, 0)).hasMessage("task.params.window must be >= 1, got 0");
        assertThat(settings("skipgram", 5, 0).contextWidth()).isEqualTo(1);
        assertThat(settings("cbow", 5, 0).contextWidth()).isEqualTo(10);
        Word2VecSettings s = Word2VecSettings.of(Params.resolve(Word2VecSettings.PARAMS,
                Map.of("query_words", "god, king,water")));
        assertThat(s.queryWords()).containsExactly("god", "king", "water");
        assertThat(s.mode()).isEqualTo(Word2VecSettings.Mode.SKIPGRAM);
        assertThat(s.subsample()).isEqualTo(1e-3);
    }

    @Test
    void vectorsTextIsReadBackByThePretrainedLoaderWithIdenticalValues() throws Exception {
        int dim = 3;
        float[] matrix = new float[VOCAB.size() * dim];
        Random random = new Random(7);
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = (float) (random.nextGaussian() * Math.pow(10, -random.nextInt(9)));
        }
        Path file = dir.resolve("vectors.txt");
        new Word2VecVectors(VOCAB, matrix, dim).writeText(file);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).isEqualTo((VOCAB.size() - 1) + " " + dim);
        assertThat(lines).hasSize(VOCAB.size()).noneMatch(l -> l.startsWith("<pad> "));
        assertThat(lines.get(1).split(" ")).hasSize(dim + 1).startsWith("<unk>");
        PretrainedVectors read = PretrainedVectors.read(file, VOCAB);
        assertThat(read.dim()).isEqualTo(dim);
        assertThat(read.found()).isEqualTo(VOCAB.size() - 1);
        assertThat(read.present()[Vocabulary.PAD_INDEX]).isFalse();
        assertThat(Arrays.copyOfRange(read.matrix(), dim, matrix.length))
                .containsExactly(Arrays.copyOfRange(matrix, dim, matrix.length));
    }

    @Test
    void neighboursAreRankedByCosineAndSkipSpecialTokens() throws Exception {
        // 2-d vectors: a=(1,0), b=(0.9,0.1), c=(0,1), d=(-1,0), e=(0.7,0.7); unk/eos near a
        float[] m = {0, 0, 1, 0.01f, 1, 0, 0.9f, 0.1f, 0, 1, -1, 0, 0.7f, 0.7f, 1, 0};
        Word2VecVectors vectors = new Word2VecVectors(VOCAB, m, 2);
        List<Word2VecVectors.Neighbour> near = vectors.nearest(2, 3);
        assertThat(near).extracting(Word2VecVectors.Neighbour::word)
                .containsExactly("b", "e", "c");
        assertThat(near.get(0).cosine()).isCloseTo(0.9 / Math.hypot(0.9, 0.1), within(1e-6));
        assertThat(near.get(1).cosine()).isCloseTo(Math.sqrt(0.5), within(1e-6));
        long[] counts = {0, 0, 5, 50, 9, 1, 7, 0};
        // b, c, e have fewer than 3 letters each: no default query words here
        assertThat(vectors.defaultQueries(counts, 2)).isEmpty();
        Path file = dir.resolve("neighbours.json");
        Word2VecVectors.writeNeighbours(file, vectors.queries(List.of("a", "zzz"), 2, counts), 2,
                List.of("zzz"));
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("k").asInt()).isEqualTo(2);
        assertThat(json.get("missing").get(0).asText()).isEqualTo("zzz");
        JsonNode a = json.get("queries").get(0);
        assertThat(a.get("word").asText()).isEqualTo("a");
        assertThat(a.get("count").asLong()).isEqualTo(5);
        assertThat(a.get("neighbours").get(1).get("word").asText()).isEqualTo("e");
        assertThat(a.get("neighbours").get(1).get("cosine").asDouble())
                .isCloseTo(Math.sqrt(0.5), within(1e-6));
    }

    @Test
    void spearmanUsesMeanRanksForTies() {
        assertThat(Word2VecPpmiScore.spearman(new double[] {1, 2, 3, 4},
                new double[] {10, 20, 30, 45})).isCloseTo(1, within(1e-12));
        assertThat(Word2VecPpmiScore.spearman(new double[] {1, 2, 3, 4},
                new double[] {4, 3, 2, 1})).isCloseTo(-1, within(1e-12));
        // ranks (1, 2.5, 2.5, 4) vs (1, 2, 3, 4): 4.5 / sqrt(4.5 * 5)
        assertThat(Word2VecPpmiScore.spearman(new double[] {1, 2, 2, 3},
                new double[] {1, 2, 3, 4})).isCloseTo(4.5 / Math.sqrt(22.5), within(1e-12));
        assertThat(Word2VecPpmiScore.spearman(new double[] {1, 1, 1},
                new double[] {1, 2, 3})).isNaN();
    }

    @Test
    void ppmiIsPositivePointwiseMutualInformationOfWindowCounts() {
        // sentences [a b] x 3 and [c d]: window 1, pairs a-b, b-a (3 each), c-d, d-c; T = 8
        List<int[]> sentences = List.of(new int[] {2, 3}, new int[] {2, 3}, new int[] {2, 3},
                new int[] {4, 5});
        double[][] ppmi = Word2VecPpmiScore.ppmi(sentences, VOCAB.size(), new int[] {2, 4}, 1);
        // a: n(a,b) = 3, n(a) = 3, n(b as context) = 3: log(3·8 / (3·3)) = log(8/3)
        assertThat(ppmi[0][3]).isCloseTo(Math.log(8 / 3.0), within(1e-12));
        assertThat(ppmi[0][5]).isZero();
        // c: log(1·8 / (1·1)) = log 8
        assertThat(ppmi[1][5]).isCloseTo(Math.log(8), within(1e-12));
    }

    @Test
    void ppmiSpearmanIsHighForGroupVectorsAndNearZeroForRandomOnes() {
        // tokens 2..9 form group A, 10..17 group B; sentences mix words of one group only
        List<String> tokens = new ArrayList<>(List.of("<pad>", "<unk>"));
        for (int i = 0; i < 16; i++) {
            tokens.add("w" + i);
        }
        Vocabulary vocab = Vocabulary.of(tokens);
        Random random = new Random(8);
        List<int[]> sentences = new ArrayList<>();
        for (int s = 0; s < 400; s++) {
            int base = s % 2 == 0 ? 2 : 10;
            sentences.add(random.ints(6, base, base + 8).toArray());
        }
        float[] group = new float[vocab.size() * 2];
        float[] noise = new float[vocab.size() * 2];
        for (int t = 2; t < vocab.size(); t++) {
            group[t * 2 + (t < 10 ? 0 : 1)] = 1;
            group[t * 2 + (t < 10 ? 1 : 0)] = (float) (0.1 * random.nextGaussian());
            noise[t * 2] = (float) random.nextGaussian();
            noise[t * 2 + 1] = (float) random.nextGaussian();
        }
        double grouped = Word2VecPpmiScore.score(sentences, vocab.size(),
                new Word2VecVectors(vocab, group, 2), 2, 16);
        double unrelated = Word2VecPpmiScore.score(sentences, vocab.size(),
                new Word2VecVectors(vocab, noise, 2), 2, 16);
        assertThat(grouped).isGreaterThan(0.7);
        assertThat(unrelated).isBetween(-0.3, 0.3);
    }
}
