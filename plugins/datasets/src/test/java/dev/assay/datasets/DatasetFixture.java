package dev.assay.datasets;

import ai.djl.ndarray.NDManager;
import dev.assay.data.DatasetContext;
import dev.assay.plugin.DatasetProvider;
import dev.assay.plugin.Params;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the dataset tests share: a temporary directory for fixtures (also the one data directory),
 * an engine manager closed after each test, and a provider's usual context.
 */
abstract class DatasetFixture {

    @TempDir
    Path dir;

    final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /** A locator with no download sources and an empty cache. */
    TextDataLocator locator() {
        return new TextDataLocator(k -> null, dir.resolve("no-cache"));
    }

    /** Batch 4, seed 1, {@link #dir} as the data directory. */
    DatasetContext context() {
        return new DatasetContext(manager, 4, 1, List.of(dir));
    }

    /** Batch 4, seed 1, {@code dataDir} as the data directory. */
    DatasetContext contextWith(Path dataDir) {
        return new DatasetContext(manager, 4, 1, List.of(dataDir));
    }

    static Params params(DatasetProvider p, Map<String, Object> given) {
        return Params.resolve(p.parameters(), given);
    }
}
