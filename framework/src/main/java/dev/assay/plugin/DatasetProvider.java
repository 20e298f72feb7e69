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

    /**
     * The kind of data {@link #load} returns, which an experiment's task is checked against when
     * the file is read ({@link TaskProvider#dataType()}), so that a task given a dataset it cannot
     * train on is reported at the file's line before any trial loads data.
     *
     * @return the return type {@link #load} declares (a provider declaring {@code
     *     ClassificationData load(...)} loads {@link dev.assay.data.ClassificationData}); {@link
     *     LoadedDataset} itself when it declares no narrower type, which passes every task's check
     *     (the task checks the data it gets when the trial starts)
     */
    default Class<? extends LoadedDataset> dataType() {
        try {
            return getClass().getMethod("load", Params.class, DatasetContext.class).getReturnType()
                    .asSubclass(LoadedDataset.class);
        } catch (NoSuchMethodException | ClassCastException e) {
            return LoadedDataset.class;
        }
    }
}
