package dev.assay.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.assay.data.Seq2SeqData;
import dev.assay.data.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the attention weights of greedy decoding for the first examples of a split, one JSON file
 * each, {@code attention/example-NN.json} in the run's artifact directory, for the web UI's
 * heatmap:
 *
 * <pre>
 * {"source": [source tokens, padding dropped],
 *  "target": [predicted tokens up to and including the first &lt;eos&gt;],
 *  "reference": [reference tokens],
 *  "weights": [[α_tj for each source token j] for each predicted token t]}
 * </pre>
 *
 * Each row of {@code weights} sums to 1 (softmax over the real source tokens).
 */
final class AttentionArtifacts {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT);

    private AttentionArtifacts() {}

    /**
     * Decodes and writes the examples.
     *
     * @param decoding the greedy decoder
     * @param data the dataset (for the vocabularies)
     * @param split the split to take the first examples from
     * @param references the split's target tokens as read ({@link Seq2SeqData#testTargets()}), or
     *     null to show the labels decoded (words outside the vocabulary as {@code <unk>})
     * @param count how many (at most the split's size)
     * @param dir the run's artifact directory
     * @param manager where temporary arrays are made
     * @return the files written
     * @throws IOException if a file cannot be written
     */
    static List<Path> write(Seq2SeqDecoding decoding, Seq2SeqData data, RandomAccessDataset split,
            List<List<String>> references, int count, Path dir, NDManager manager) throws IOException {
        int n = (int) Math.min(count, split.size());
        List<Path> files = new ArrayList<>();
        if (n == 0) {
            return files;
        }
        try (NDManager m = manager.newSubManager()) {
            NDList sources = new NDList();
            NDList labels = new NDList();
            for (int i = 0; i < n; i++) {
                Record r = split.get(m, i);
                sources.add(r.getData().head());
                labels.add(r.getLabels().head());
            }
            NDList out = decoding.decode(NDArrays.stack(sources));
            int[] predicted = out.get(0).toIntArray();
            NDArray weights = out.get(1);
            int steps = (int) weights.getShape().get(1);
            Path folder = Files.createDirectories(dir.resolve("attention"));
            for (int i = 0; i < n; i++) {
                int[] source = sources.get(i).toType(DataType.INT32, false).toIntArray();
                int[] p = java.util.Arrays.copyOfRange(predicted, i * steps, (i + 1) * steps);
                int[] y = labels.get(i).toType(DataType.INT32, false).toIntArray();
                Path file = folder.resolve(String.format(Locale.ROOT, "example-%02d.json", i));
                List<String> reference = references != null ? references.get(i)
                        : Seq2SeqData.decode(data.targetVocabulary(), y);
                JSON.writeValue(file.toFile(), example(data, source, p, reference,
                        weights.get(i).toFloatArray(), weights.getShape().get(2)));
                files.add(file);
            }
        }
        return files;
    }

    private static Map<String, Object> example(Seq2SeqData data, int[] source, int[] predicted,
            List<String> reference, float[] weights, long sourceTime) {
        List<String> sourceTokens = new ArrayList<>();
        List<Integer> columns = new ArrayList<>();
        for (int j = 0; j < source.length; j++) {
            if (source[j] != Vocabulary.PAD_INDEX) {
                sourceTokens.add(data.sourceVocabulary().token(source[j]));
                columns.add(j);
            }
        }
        List<String> targetTokens = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        for (int t = 0; t < predicted.length; t++) {
            targetTokens.add(data.targetVocabulary().token(predicted[t]));
            float[] row = new float[columns.size()];
            for (int k = 0; k < row.length; k++) {
                row[k] = weights[(int) (t * sourceTime + columns.get(k))];
            }
            rows.add(row);
            if (predicted[t] == Seq2SeqData.EOS_INDEX) {
                break;
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("source", sourceTokens);
        json.put("target", targetTokens);
        json.put("reference", reference);
        json.put("weights", rows);
        return json;
    }
}
