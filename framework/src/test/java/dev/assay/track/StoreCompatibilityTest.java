package dev.assay.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stores written before H2 was upgraded from 2.3.232 to 2.4.240 (whose release fixes H2 issue
 * #4247, "Compaction causes missing chunks and data loss") open, read and take new points.
 */
class StoreCompatibilityTest {

    @TempDir
    Path dir;

    @Test
    void aStoreWrittenByH2Version2_3_232OpensReadsAndTakesNewPoints() throws Exception {
        // written by TrackingStore on H2 2.3.232: one completed run, train_loss 2.5, 1.25, NaN at steps 1-3
        try (InputStream old = getClass().getResourceAsStream("/stores/h2-2.3.232/assay.mv.db")) {
            Files.copy(old, dir.resolve("assay.mv.db"));
        }
        String url = TrackingStore.defaultUrl(dir);
        String runId = "c48ea2a56a0342b6963829cd2d702c05";
        try (TrackingStore store = TrackingStore.open(url)) {
            RunRecord run = store.runs("written-by-h2-2.3.232").get(0);
            assertThat(run.runId()).isEqualTo(runId);
            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(run.params()).containsEntry("training.optimizer.learning_rate", "0.1");
            assertThat(store.metric(runId, "train_loss")).extracting(MetricPoint::value)
                    .containsExactly(2.5, 1.25, Double.NaN);
            store.appendMetrics(runId, Map.of("train_loss", List.of(new MetricPoint(4, 2, 0.5, 4000L))));
        }
        try (TrackingStore store = TrackingStore.open(url)) {
            assertThat(store.metric(runId, "train_loss")).extracting(MetricPoint::step).containsExactly(1L, 2L, 3L, 4L);
            assertThat(store.run(runId).orElseThrow().metrics().get("train_loss").last()).isEqualTo(0.5);
        }
    }

    @Test
    void aReadOnlyStoreOfAnOlderSchemaIsRefusedWithWhatToDoAndANewerOneReads() {
        // found by a new-user check: on a read-only mount Flyway tried to upgrade the file and failed
        // ("Migration ... failed ... restore backups"), after five attempts
        String writable = TrackingStore.defaultUrl(dir);
        org.flywaydb.core.Flyway.configure(getClass().getClassLoader()).dataSource(writable, null, null)
                .locations("classpath:db/migration").target("1").load().migrate();
        assertThat(Files.exists(dir.resolve("assay.mv.db"))).isTrue();
        String readOnly = TrackingStore.readOnlyUrl(dir);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrackingStore.open(readOnly).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the store " + dir.toAbsolutePath().normalize().resolve("assay") + ".mv.db has schema version 1,"
                        + " older than this Assay's 2, and can only be read here (a read-only file or directory), so it"
                        + " cannot be upgraded: copy the store's directory (without assay.lock.db) somewhere writable"
                        + " and point --store at the copy, or open it once with write access (any assay command"
                        + " upgrades it)");
        // upgraded once where it can be written, it then reads read-only
        TrackingStore.open(writable).close();
        try (TrackingStore store = TrackingStore.open(readOnly)) {
            assertThat(store.experiments()).isEmpty();
        }
    }

    @Test
    void theBundledH2HasTheCompactionFix() {
        // H2 2.3.232 could lose committed rows when it compacted the file on close (H2 issue #4247,
        // fixed in 2.4.240): a fresh-clone check saw a store fall back to its state of ten minutes before
        assertThat(org.h2.engine.Constants.VERSION_MAJOR * 1000 + org.h2.engine.Constants.BUILD_ID)
                .as("H2 2.%d.%d", org.h2.engine.Constants.VERSION_MINOR, org.h2.engine.Constants.BUILD_ID)
                .isGreaterThanOrEqualTo(2240);
    }
}
