package dev.assay.architectures;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.assay.data.Vocabulary;
import java.util.ArrayList;
import java.util.List;

/**
 * An encoder-decoder (Sutskever et al. 2014; Cho et al. 2014) with optional global attention
 * (Luong et al. 2015) scored additively (Bahdanau et al. 2015) or by dot product.
 *
 * <p>Encoder: source embedding → dropout → stacked GRU or LSTM (batch first), outputs
 * {@code h (batch, sourceTime, hidden)}. The decoder's initial state is {@code s₀ = tanh(W_s h_last
 * + b)} for every layer, {@code h_last} the top encoder layer's output at the last real (non-pad)
 * source token (Bahdanau et al. 2015, §A.2.2, take the backward encoder's first state); an LSTM
 * decoder's cell starts at zero. Decoder: target embedding → dropout → stacked GRU/LSTM, outputs
 * {@code s (batch, targetTime, hidden)}. With attention, {@code c_t = Σ_j α_tj h_j} and the
 * attentional state {@code s̃_t = tanh(W_c [c_t; s_t])} (Luong et al. 2015, eq. 5) feed the
 * output layer; without it, {@code s_t} does. Output: dropout → dense → logits over the target
 * vocabulary. Attention is applied after the recurrent step (Luong's global attention without
 * input feeding), so a teacher-forced pass runs the decoder as one fused recurrent call.
 *
 * <p>Inputs, token indices as floats, padding index 0:
 * <ul>
 *   <li>teacher forcing: {@code NDList(source (batch, sourceTime), decoderInput (batch,
 *       targetTime))} → {@code NDList(logits (batch, targetTime, targetVocabulary), attention
 *       (batch, targetTime, sourceTime))}, step {@code t} reading {@code decoderInput[:, t]};</li>
 *   <li>step by step: {@code NDList(source, decoderInput, teacherMask)}, same outputs, the mask
 *       {@code (targetTime)} for the whole batch or {@code (batch, targetTime)} per example; step
 *       {@code t} reads {@code decoderInput[i, t]} where the mask is 1 and the previous step's
 *       argmax prediction where it is 0 (step 0 must be 1). Scheduled sampling (Bengio et al.
 *       2015) mixes both, per example and step; greedy decoding is {@code decoderInput[:, 0] =
 *       <bos>} with mask {@code [1, 0, 0, …]}.</li>
 * </ul>
 * The attention output is all zeros when {@code attention} is {@code none}; otherwise each row
 * sums to 1 over the real source tokens.
 */
final class Seq2SeqNetwork extends AbstractBlock implements dev.assay.train.Seq2SeqModel {

    /**
     * The network's settings.
     *
     * @param cell {@code gru} or {@code lstm}
     * @param embeddingDim embedding size of both vocabularies
     * @param hidden recurrent state size (also the additive attention's size)
     * @param layers stacked recurrent layers in the encoder and in the decoder
     * @param attention {@code none}, {@code additive} or {@code dot}
     * @param dropout drop rate on embeddings, between recurrent layers and before the output
     */
    record Settings(String cell, int embeddingDim, int hidden, int layers, String attention,
            float dropout) {}

    /** What the encoder hands the decoder. */
    private record Memory(NDArray outputs, NDArray mask, NDList state) {}

    /** One decoder pass: logits, attention weights and the state after it. */
    private record Step(NDArray logits, NDArray weights, NDList state) {}

    private final Settings settings;
    private final int targetVocabulary;
    private final TokenEmbedding sourceEmbedding;
    private final TokenEmbedding targetEmbedding;
    private final Block encoder;
    private final Block decoder;
    private final Block bridge;
    private final Seq2SeqAttention attention;
    private final Block combine;
    private final Block dropout;
    private final Block output;

    /**
     * Creates the network.
     *
     * @param settings the settings
     * @param sourceVocabulary source vocabulary size (embedding rows)
     * @param targetVocabulary target vocabulary size (embedding rows and logits)
     */
    Seq2SeqNetwork(Settings settings, int sourceVocabulary, int targetVocabulary) {
        this.settings = settings;
        this.targetVocabulary = targetVocabulary;
        int e = settings.embeddingDim();
        sourceEmbedding = addChildBlock("source_embedding",
                new TokenEmbedding(sourceVocabulary, e, null, false));
        targetEmbedding = addChildBlock("target_embedding",
                new TokenEmbedding(targetVocabulary, e, null, false));
        encoder = addChildBlock("encoder", recurrent(settings));
        decoder = addChildBlock("decoder", recurrent(settings));
        bridge = addChildBlock("bridge", Linear.builder().setUnits(settings.hidden()).build());
        boolean attends = !"none".equals(settings.attention());
        attention = attends ? addChildBlock("attention",
                new Seq2SeqAttention(settings.attention(), settings.hidden())) : null;
        combine = attends ? addChildBlock("combine",
                Linear.builder().setUnits(settings.hidden()).optBias(false).build()) : null;
        dropout = addChildBlock("dropout", Dropout.builder().optRate(settings.dropout()).build());
        output = addChildBlock("output", Linear.builder().setUnits(targetVocabulary).build());
    }

    private static Block recurrent(Settings s) {
        float between = s.layers() > 1 ? s.dropout() : 0f;
        if ("lstm".equals(s.cell())) {
            LstmCheck.requireCorrect(); // PyTorch's was wrong on an AVX-512 CPU
        }
        return "lstm".equals(s.cell())
                ? LSTM.builder().setStateSize(s.hidden()).setNumLayers(s.layers())
                        .optDropRate(between).optReturnState(true).build()
                : GRU.builder().setStateSize(s.hidden()).setNumLayers(s.layers())
                        .optDropRate(between).optReturnState(true).build();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
        checkInputs(inputs);
        long b = inputs[0].get(0);
        long s = inputs[0].get(1);
        long t = inputs[1].get(1);
        int e = settings.embeddingDim();
        int h = settings.hidden();
        sourceEmbedding.initialize(manager, dataType, inputs[0]);
        targetEmbedding.initialize(manager, dataType, inputs[1]);
        encoder.initialize(manager, dataType, new Shape(b, s, e));
        decoder.initialize(manager, dataType, new Shape(b, t, e));
        bridge.initialize(manager, dataType, new Shape(b, h));
        if (attention != null) {
            attention.initialize(manager, dataType, new Shape(b, t, h), new Shape(b, s, h),
                    new Shape(b, s));
            combine.initialize(manager, dataType, new Shape(b * t, 2L * h));
        }
        dropout.initialize(manager, dataType, new Shape(b, t, e));
        output.initialize(manager, dataType, new Shape(b * t, h));
    }

    private static void checkInputs(Shape[] inputs) {
        boolean ok = inputs.length >= 2 && inputs[0].dimension() == 2
                && inputs[1].dimension() == 2 && inputs[0].get(0) == inputs[1].get(0);
        if (!ok) {
            throw new IllegalArgumentException("architecture 'seq2seq' takes token indices"
                    + " (source (batch, sourceTime), decoder input (batch, targetTime)) from a"
                    + " seq2seq dataset and the 'seq2seq' task; got input shapes "
                    + java.util.Arrays.toString(inputs));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        Memory memory = encode(store, inputs.get(0), training);
        if (inputs.size() == 2) {
            Step step = decode(store, memory, inputs.get(1), memory.state(), training);
            return new NDList(step.logits(), step.weights());
        }
        NDArray teacherMask = inputs.get(2);
        int steps = (int) inputs.get(1).getShape().get(1);
        boolean perExample = teacherMask.getShape().dimension() == 2;
        if (perExample ? !teacherMask.getShape().equals(new Shape(inputs.get(0).getShape().get(0), steps))
                : teacherMask.getShape().dimension() != 1 || teacherMask.getShape().get(0) != steps) {
            throw new IllegalArgumentException("teacherMask must be (targetTime) = (" + steps + ") or (batch,"
                    + " targetTime) = " + new Shape(inputs.get(0).getShape().get(0), steps) + ", got "
                    + teacherMask.getShape());
        }
        return decodeStepwise(store, memory, inputs.get(1), teacherMask.toFloatArray(), perExample ? steps : 0,
                training);
    }

    private Memory encode(ParameterStore store, NDArray source, boolean training) {
        NDArray mask = source.neq(Vocabulary.PAD_INDEX).toType(DataType.FLOAT32, false);
        NDArray embedded = embed(store, sourceEmbedding, source, training);
        NDArray outputs = encoder.forward(store, new NDList(embedded), training).head();
        NDArray last = lastReal(outputs, mask);
        NDArray s0 = bridge.forward(store, new NDList(last), training).head().tanh();
        NDArray h0 = s0.expandDims(0).repeat(0, settings.layers());
        NDList state = "lstm".equals(settings.cell()) ? new NDList(h0, h0.zerosLike())
                : new NDList(h0);
        return new Memory(outputs, mask, state);
    }

    private NDArray embed(ParameterStore store, TokenEmbedding embedding, NDArray tokens,
            boolean training) {
        NDArray x = embedding.forward(store, new NDList(tokens), training).head();
        return dropout.forward(store, new NDList(x), training).head();
    }

    /** The output at the last real step of each row, {@code (batch, hidden)}; zeros if none. */
    private static NDArray lastReal(NDArray outputs, NDArray mask) {
        long steps = outputs.getShape().get(1);
        NDArray lastIndex = mask.sum(new int[] {1}, true).sub(1f);
        NDArray oneHot = outputs.getManager().arange((float) steps).reshape(1, steps)
                .eq(lastIndex).toType(DataType.FLOAT32, false).expandDims(2);
        return outputs.mul(oneHot).sum(new int[] {1});
    }

    private Step decode(ParameterStore store, Memory memory, NDArray tokens, NDList state,
            boolean training) {
        NDList in = new NDList(embed(store, targetEmbedding, tokens, training));
        in.addAll(state);
        NDList out = decoder.forward(store, in, training);
        NDArray s = out.head();
        Shape shape = s.getShape();
        long b = shape.get(0);
        long t = shape.get(1);
        NDArray features = s;
        NDArray weights;
        if (attention == null) {
            weights = s.getManager().zeros(new Shape(b, t, memory.outputs().getShape().get(1)));
        } else {
            NDList cw = attention.forward(store,
                    new NDList(s, memory.outputs(), memory.mask()), training);
            weights = cw.get(1);
            NDArray joined = cw.get(0).concat(s, 2).reshape(b * t, 2L * settings.hidden());
            features = combine.forward(store, new NDList(joined), training).head().tanh();
        }
        NDArray flat = features.reshape(b * t, settings.hidden());
        NDArray dropped = dropout.forward(store, new NDList(flat), training).head();
        NDArray logits = output.forward(store, new NDList(dropped), training).head()
                .reshape(b, t, targetVocabulary);
        return new Step(logits, weights, out.subNDList(1));
    }

    /**
     * Decodes step by step, feeding each example at step {@code t} its true token where the teacher
     * mask is 1, else the previous step's argmax.
     *
     * @param teacherMask the mask, {@code (targetTime)} (one entry per step for the whole batch) or
     *     {@code (batch, targetTime)} flattened row by row (one per example and step)
     * @param rowLength 0 for a {@code (targetTime)} mask, else {@code targetTime}
     */
    private NDList decodeStepwise(ParameterStore store, Memory memory, NDArray decoderInput,
            float[] teacherMask, int rowLength, boolean training) {
        int steps = (int) decoderInput.getShape().get(1);
        int rows = rowLength == 0 ? 1 : teacherMask.length / rowLength;
        for (int i = 0; i < rows; i++) {
            if (teacherMask[i * steps] < 0.5f) {
                throw new IllegalArgumentException("teacherMask must start with 1 (step 0 reads <bos>), got "
                        + teacherMask[i * steps] + (rowLength == 0 ? "" : " for example " + i));
            }
        }
        List<NDArray> logits = new ArrayList<>(steps);
        List<NDArray> weights = new ArrayList<>(steps);
        NDList state = memory.state();
        for (int t = 0; t < steps; t++) {
            NDArray tokens = stepTokens(decoderInput, t, teacherMask, rows, steps, logits);
            Step step = decode(store, memory, tokens, state, training);
            logits.add(step.logits());
            weights.add(step.weights());
            state = step.state();
        }
        return new NDList(NDArrays.concat(new NDList(logits), 1),
                NDArrays.concat(new NDList(weights), 1));
    }

    /**
     * The tokens step {@code t} reads, {@code (batch, 1)}: the true ones, the previous step's
     * argmax, or (a per-example mask that differs between examples at {@code t}) each example's
     * own choice.
     */
    private static NDArray stepTokens(NDArray decoderInput, int t, float[] teacherMask, int rows, int steps,
            List<NDArray> logits) {
        int teacher = 0;
        float[] column = new float[rows];
        for (int i = 0; i < rows; i++) {
            column[i] = teacherMask[i * steps + t] >= 0.5f ? 1f : 0f;
            teacher += (int) column[i];
        }
        NDArray truth = teacher == 0 ? null : decoderInput.get(":, " + t + ":" + (t + 1));
        if (teacher == rows) {
            return truth;
        }
        NDArray predicted = logits.get(t - 1).argMax(2).toType(DataType.FLOAT32, false);
        if (teacher == 0) {
            return predicted;
        }
        NDArray m = decoderInput.getManager().create(column, new Shape(rows, 1));
        return truth.mul(m).add(predicted.mul(m.sub(1f).neg()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        checkInputs(inputs);
        long b = inputs[0].get(0);
        long t = inputs[1].get(1);
        return new Shape[] {new Shape(b, t, targetVocabulary),
            new Shape(b, t, inputs[0].get(1))};
    }
}
