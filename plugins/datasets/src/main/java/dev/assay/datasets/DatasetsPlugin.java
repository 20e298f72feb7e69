package dev.assay.datasets;

import dev.assay.plugin.AssayPlugin;

/**
 * Registers the dataset providers of this module: {@code fashion-mnist} ({@link
 * FashionMnistProvider}), {@code mnist} ({@link MnistProvider}), {@code imdb}, {@code csv-text},
 * {@code spam-assassin}, {@code wikitext}, {@code text-corpus}, {@code kjv-bible}, {@code dates}
 * ({@link DateNormalisationProvider}) and {@code sentence-pairs} ({@link SentencePairsProvider}).
 * Listed in {@code
 * META-INF/services/dev.assay.plugin.AssayPlugin}.
 */
public final class DatasetsPlugin extends AssayPlugin {

    /** Creates the plugin module; {@link java.util.ServiceLoader} needs a public constructor. */
    public DatasetsPlugin() {}

    /** Binds {@code fashion-mnist} and {@code mnist} in the dataset MapBinder. */
    @Override
    protected void configure() {
        registerDataset(FashionMnistProvider.NAME, FashionMnistProvider.class);
        registerDataset(MnistProvider.NAME, MnistProvider.class);
        registerDataset("imdb", ImdbProvider.class);
        registerDataset("csv-text", CsvTextProvider.class);
        registerDataset("spam-assassin", SpamAssassinProvider.class);
        registerDataset("wikitext", WikiTextProvider.class);
        registerDataset("text-corpus", TextCorpusProvider.class);
        registerDataset("kjv-bible", KjvBibleProvider.class);
        registerDataset("dates", DateNormalisationProvider.class);
        registerDataset("sentence-pairs", SentencePairsProvider.class);
    }
}
