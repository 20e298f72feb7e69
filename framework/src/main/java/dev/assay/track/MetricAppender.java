package dev.assay.track;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Appends points to chunked metric series and keeps their summary rows current. Holds the tail
 * chunk of every series it has written in memory; a series it has not seen yet (for example after
 * the store was re-opened) has its tail chunk and summary loaded on first append. Callers hold the
 * store's lock and run each {@link #append} in one transaction; after a failed transaction they
 * call {@link #forgetRun} so the state is reloaded from the database.
 */
final class MetricAppender {

    /** Points per stored chunk. */
    static final int CHUNK_SIZE = TrackingStore.CHUNK_SIZE;

    private static final String LOAD_TAIL =
            "SELECT chunk_no, point_count, steps, epochs, metric_values, wall_times FROM metric_chunks"
                    + " WHERE run_id = ? AND metric_key = ? ORDER BY chunk_no DESC FETCH FIRST 1 ROWS ONLY";
    private static final String LOAD_SUMMARY =
            "SELECT point_count, last_value, last_step, min_value, min_step, max_value, max_step,"
                    + " non_finite_count FROM metric_summaries WHERE run_id = ? AND metric_key = ?";
    private static final String INSERT_CHUNK =
            "INSERT INTO metric_chunks (first_step, last_step, point_count, steps, epochs, metric_values,"
                    + " wall_times, run_id, metric_key, chunk_no) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_CHUNK =
            "UPDATE metric_chunks SET first_step = ?, last_step = ?, point_count = ?, steps = ?, epochs = ?,"
                    + " metric_values = ?, wall_times = ? WHERE run_id = ? AND metric_key = ? AND chunk_no = ?";
    private static final String INSERT_SUMMARY =
            "INSERT INTO metric_summaries (point_count, last_value, last_step, min_value, min_step, max_value,"
                    + " max_step, non_finite_count, run_id, metric_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_SUMMARY =
            "UPDATE metric_summaries SET point_count = ?, last_value = ?, last_step = ?, min_value = ?,"
                    + " min_step = ?, max_value = ?, max_step = ?, non_finite_count = ?"
                    + " WHERE run_id = ? AND metric_key = ?";

    private final Map<String, Map<String, SeriesTail>> tailsByRun = new HashMap<>();
    /** The encoder's working buffer (callers hold the store's lock, so one is enough). */
    private final byte[] scratch = new byte[ChunkCodec.scratchSize(CHUNK_SIZE)];
    /** Runs this store created: a series of theirs that is not cached has no rows yet. */
    private final Set<String> createdRuns = new HashSet<>();

    /**
     * Appends each key's points to its series; does not commit.
     *
     * @return points in each series' last chunk afterwards (0 when it is full), by key
     */
    Map<String, Integer> append(Connection connection, String runId, Map<String, PointColumns> pointsByKey)
            throws SQLException {
        Map<String, Integer> tailFills = new HashMap<>();
        try (PreparedStatement insertChunk = connection.prepareStatement(INSERT_CHUNK);
                PreparedStatement updateChunk = connection.prepareStatement(UPDATE_CHUNK);
                PreparedStatement insertSummary = connection.prepareStatement(INSERT_SUMMARY);
                PreparedStatement updateSummary = connection.prepareStatement(UPDATE_SUMMARY)) {
            for (Map.Entry<String, PointColumns> entry : pointsByKey.entrySet()) {
                SeriesTail tail = tail(connection, runId, entry.getKey());
                if (alreadyStored(tail, entry.getValue())) {
                    tailFills.put(tail.key, tail.chunk.size);
                    continue;
                }
                appendSeries(runId, tail, entry.getValue(), insertChunk, updateChunk);
                bindSummary(tail.summaryStored ? updateSummary : insertSummary, runId, tail);
                tail.summaryStored = true;
                tailFills.put(tail.key, tail.chunk.size);
            }
            insertChunk.executeBatch();
            updateChunk.executeBatch();
            insertSummary.executeBatch();
            updateSummary.executeBatch();
        }
        return tailFills;
    }

    /**
     * Whether the series already ends with this batch's last point (same step, same value to the
     * bit): the store's retry after a connection lost at commit time, when the commit had in fact
     * reached the database, appended the batch a second time (a 1-epoch trial of four sweep workers
     * held two {@code val_loss} points). A batch's last step is past the stored one in every other
     * case, so only an exact repeat of the stored last point is passed over.
     */
    private static boolean alreadyStored(SeriesTail tail, PointColumns points) {
        int last = points.size - 1;
        return last >= 0 && tail.count >= points.size && tail.lastStep == points.steps[last]
                && Double.doubleToLongBits(tail.last) == Double.doubleToLongBits(points.values[last]);
    }

    /**
     * Notes that this store has just created (and committed) a run: its series have no rows, so
     * their first append need not look for a stored tail chunk and summary (two queries a series).
     * Sound while this store is the run's only writer, which the class comment requires anyway.
     *
     * @param runId the new run
     */
    void runCreated(String runId) {
        createdRuns.add(runId);
    }

    /** Drops the in-memory state of a run's series (after it finished or a write failed). */
    void forgetRun(String runId) {
        tailsByRun.remove(runId);
        createdRuns.remove(runId);
    }

    /** Drops all in-memory state. */
    void forgetAll() {
        tailsByRun.clear();
        createdRuns.clear();
    }

    /**
     * Fills the tail chunk first; then writes each whole chunk's worth of the batch straight from
     * its arrays (no copy into the tail); what is left becomes the new, part-full tail chunk.
     */
    private void appendSeries(
            String runId, SeriesTail tail, PointColumns points, PreparedStatement insert, PreparedStatement update)
            throws SQLException {
        int i = 0;
        if (tail.chunk.size > 0) {
            for (; i < points.size && tail.chunk.size < CHUNK_SIZE; i++) {
                tail.add(points.steps[i], points.epochs[i], points.values[i], points.wallTimes[i]);
            }
            bindChunk(tail.chunkStored ? update : insert, runId, tail.key, tail.chunkNo, tail.chunk, 0, tail.chunk.size);
            if (tail.chunk.size < CHUNK_SIZE) {
                tail.chunkStored = true;
                return;
            }
            tail.nextChunk();
        }
        for (; points.size - i >= CHUNK_SIZE; i += CHUNK_SIZE) {
            tail.summarize(points, i, CHUNK_SIZE);
            bindChunk(insert, runId, tail.key, tail.chunkNo, points, i, CHUNK_SIZE);
            tail.chunkNo++;
        }
        if (i < points.size) {
            for (; i < points.size; i++) {
                tail.add(points.steps[i], points.epochs[i], points.values[i], points.wallTimes[i]);
            }
            bindChunk(insert, runId, tail.key, tail.chunkNo, tail.chunk, 0, tail.chunk.size);
            tail.chunkStored = true;
        }
    }

    private void bindChunk(PreparedStatement statement, String runId, String key, int chunkNo,
            PointColumns points, int from, int count) throws SQLException {
        statement.setLong(1, points.steps[from]);
        statement.setLong(2, points.steps[from + count - 1]);
        statement.setInt(3, count);
        statement.setBytes(4, ChunkCodec.encodeLongs(points.steps, from, count, scratch));
        statement.setBytes(5, ChunkCodec.encodeInts(points.epochs, from, count, scratch));
        statement.setBytes(6, ChunkCodec.encodeDoubles(points.values, from, count));
        statement.setBytes(7, ChunkCodec.encodeLongs(points.wallTimes, from, count, scratch));
        statement.setString(8, runId);
        statement.setString(9, key);
        statement.setInt(10, chunkNo);
        statement.addBatch();
    }

    private static void bindSummary(PreparedStatement statement, String runId, SeriesTail tail)
            throws SQLException {
        statement.setLong(1, tail.count);
        statement.setDouble(2, tail.last);
        statement.setLong(3, tail.lastStep);
        statement.setDouble(4, tail.min);
        statement.setLong(5, tail.minStep);
        statement.setDouble(6, tail.max);
        statement.setLong(7, tail.maxStep);
        statement.setLong(8, tail.nonFiniteCount);
        statement.setString(9, runId);
        statement.setString(10, tail.key);
        statement.addBatch();
    }

    private SeriesTail tail(Connection connection, String runId, String key) throws SQLException {
        Map<String, SeriesTail> tails = tailsByRun.computeIfAbsent(runId, id -> new HashMap<>());
        SeriesTail tail = tails.get(key);
        if (tail == null) {
            tail = new SeriesTail(key);
            if (!createdRuns.contains(runId)) {
                loadTailChunk(connection, runId, tail);
                loadSummary(connection, runId, tail);
            }
            tails.put(key, tail);
        }
        return tail;
    }

    private static void loadTailChunk(Connection connection, String runId, SeriesTail tail) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LOAD_TAIL)) {
            statement.setString(1, runId);
            statement.setString(2, tail.key);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return;
                }
                tail.chunkNo = rows.getInt(1);
                int count = rows.getInt(2);
                if (count >= CHUNK_SIZE) {
                    tail.nextChunk();
                    return;
                }
                PointColumns chunk = tail.chunk;
                ChunkCodec.decodeLongs(rows.getBytes(3), count, chunk.steps, 0);
                ChunkCodec.decodeInts(rows.getBytes(4), count, chunk.epochs, 0);
                ChunkCodec.decodeDoubles(rows.getBytes(5), count, chunk.values, 0);
                ChunkCodec.decodeLongs(rows.getBytes(6), count, chunk.wallTimes, 0);
                chunk.size = count;
                tail.chunkStored = true;
            }
        }
    }

    private static void loadSummary(Connection connection, String runId, SeriesTail tail) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LOAD_SUMMARY)) {
            statement.setString(1, runId);
            statement.setString(2, tail.key);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return;
                }
                tail.count = rows.getLong(1);
                tail.last = rows.getDouble(2);
                tail.lastStep = rows.getLong(3);
                tail.min = rows.getDouble(4);
                tail.minStep = rows.getLong(5);
                tail.max = rows.getDouble(6);
                tail.maxStep = rows.getLong(7);
                tail.nonFiniteCount = rows.getLong(8);
                tail.summaryStored = true;
            }
        }
    }
}
