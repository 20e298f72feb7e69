package dev.assay.track;

import static dev.assay.track.StoreFixtures.newRun;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.api.ErrorCode;
import org.h2.message.DbException;
import org.h2.mvstore.DataUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which failures a store retries on a fresh connection. The exceptions are built by H2's own
 * conversion ({@link DbException#convert}), as a statement gets them in the serving process; an
 * {@code AUTO_SERVER} client receives their message, SQL state and code without the cause.
 */
class LostConnectionsTest {

    @TempDir
    Path dir;

    /** H2's exception for an MVStore error of the given code, as the serving process has it. */
    private static SQLException served(int mvStoreCode, String message) {
        return DbException.convert(DataUtils.newMVStoreException(mvStoreCode, message, 1)).getSQLException();
    }

    /** The same failure as an {@code AUTO_SERVER} client receives it: the text, no cause. */
    private static SQLException overTheWire(SQLException e) {
        return new SQLException(e.getMessage(), e.getSQLState(), e.getErrorCode());
    }

    @Test
    void aStatementCutOffByTheServingDatabaseClosingIsALostConnection() {
        SQLException transactionClosed = served(DataUtils.ERROR_CLOSED, "Transaction {0} is closed");
        SQLException storeClosed = served(DataUtils.ERROR_CLOSED, "This store is closed");

        assertThat(transactionClosed.getErrorCode()).isEqualTo(ErrorCode.GENERAL_ERROR_1);
        assertThat(transactionClosed.getMessage()).contains("Transaction 1 is closed");
        for (SQLException e : List.of(transactionClosed, storeClosed)) {
            assertThat(LostConnections.isLost(e)).as(e.getMessage()).isTrue();
            assertThat(LostConnections.isLost(overTheWire(e))).as(e.getMessage()).isTrue();
        }
        SQLException shutdown = DbException.get(ErrorCode.DATABASE_CALLED_AT_SHUTDOWN).getSQLException();
        assertThat(LostConnections.isLost(overTheWire(shutdown))).isTrue();
    }

    @Test
    void otherStoreErrorsAreNotRetried() {
        // a full disk (StorageFailure tells it first), a lock conflict, a corrupt file, plain SQL errors
        for (SQLException e : List.of(served(DataUtils.ERROR_WRITING_FAILED, "Writing to {0} failed"),
                served(DataUtils.ERROR_TRANSACTION_LOCKED, "Map entry <{0}> is locked"),
                served(DataUtils.ERROR_FILE_CORRUPT, "File corrupted in chunk {0}"),
                DbException.get(ErrorCode.TABLE_OR_VIEW_NOT_FOUND_1, "RUNS").getSQLException(),
                DbException.get(ErrorCode.GENERAL_ERROR_1, "a closed door [2.4.240/4]").getSQLException())) {
            assertThat(LostConnections.isLost(e)).as(e.getMessage()).isFalse();
            assertThat(LostConnections.isLost(overTheWire(e))).as(e.getMessage()).isFalse();
        }
    }

    @Test
    void metricsWhoseCommitFoundTheTransactionClosedAreWrittenOnceOnAFreshConnection() throws Exception {
        String url = StoreFixtures.url(dir);
        TrackingStore.open(url).close(); // the schema
        Connection real = DriverManager.getConnection(url);
        real.setAutoCommit(false);
        AtomicBoolean closeAtNextCommit = new AtomicBoolean();
        Connection closing = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("commit") && closeAtNextCommit.getAndSet(false)) {
                        real.rollback(); // the serving process closed its database: nothing committed
                        throw overTheWire(served(DataUtils.ERROR_CLOSED, "Transaction {0} is closed"));
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (TrackingStore store = new TrackingStore(new StoreConnection(url, closing))) {
            String runId = store.createRun(newRun("exp", 0));
            closeAtNextCommit.set(true);

            store.appendMetrics(runId, Map.of("val_loss", List.of(new MetricPoint(1, 1, 0.5, 1)),
                    "train_loss", List.of(new MetricPoint(1, 1, 0.7, 1), new MetricPoint(2, 1, 0.6, 2))));

            assertThat(closeAtNextCommit).isFalse(); // the failure did happen
            assertThat(store.metric(runId, "val_loss")).extracting(MetricPoint::value).containsExactly(0.5);
            assertThat(store.metric(runId, "train_loss")).extracting(MetricPoint::value).containsExactly(0.7, 0.6);
        }
    }
}
