package dev.assay.plugin;

import dev.assay.data.DatasetContext;
import dev.assay.data.LoadedDataset;
import java.io.IOException;

/** Loads a dataset by name; registered with {@link AssayPlugin#registerDataset}. */
public interface DatasetProvider extends PluginProvider {

    /**
     * Loads the splits.
     *
     * @param params the resolved parameters (see {@link #parameters()})
     * @param context the trial's manager, batch size, seed and data directories
     * @return the splits
     * @throws IOException if the data cannot be found or read; the message says where it was
     *     looked for and how to get it
     */
    LoadedDataset load(Params params, DatasetContext context) throws IOException;
}
