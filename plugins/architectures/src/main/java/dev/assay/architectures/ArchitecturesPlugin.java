package dev.assay.architectures;

import dev.assay.plugin.AssayPlugin;

/** Registers the architectures: {@code mlp}, {@code cnn}, {@code lstm}, {@code gru}, {@code autoencoder}, {@code gan}, {@code seq2seq}, {@code word2vec}. */
public final class ArchitecturesPlugin extends AssayPlugin {

    @Override
    protected void configure() {
        registerArchitecture("mlp", MlpProvider.class);
        registerArchitecture("lstm", RecurrentProvider.Lstm.class);
        registerArchitecture("gru", RecurrentProvider.Gru.class);
        registerArchitecture("cnn", CnnProvider.class);
        registerArchitecture("autoencoder", AutoencoderProvider.class);
        registerArchitecture("gan", GanProvider.class);
        registerArchitecture("seq2seq", Seq2SeqProvider.class);
        registerArchitecture("word2vec", Word2VecProvider.class);
    }
}
