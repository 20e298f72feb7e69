package dev.assay.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.assay.track.RunTracker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoggedStepsTrackerTest {

    /** Implements only {@code logMetric}: {@code logMetrics} is the interface's default. */
    private static final class PointList implements RunTracker {
        final List<String> points = new ArrayList<>();

        @Override
        public String runId() {
            return "r";
        }

        @Override
        public void logMetric(String key, long step, int epoch, double value) {
            points.add(key + "@" + step + "/" + epoch + "=" + value);
        }

        @Override
        public void setTag(String key, String value) {}

        @Override
        public Path artifactDir() {
            return Path.of("unused");
        }
    }

    @Test
    void logMetricsRemembersTheStepOfEverySeriesAndTheDefaultLogsInTheMapsOrder() {
        PointList points = new PointList();
        LoggedStepsTracker logged = new LoggedStepsTracker(points, Map.of("loss", 3L));
        Map<String, Double> epochEnd = new LinkedHashMap<>();
        epochEnd.put("val_loss", 0.5);
        epochEnd.put("loss", 0.25);
        logged.logMetrics(epochEnd, 40, 2);
        logged.logMetric("lr", 41, 3, 1e-3);
        logged.logMetrics(Map.of(), 99, 9); // nothing logged, no step or epoch remembered

        assertThat(points.points).containsExactly("val_loss@40/2=0.5", "loss@40/2=0.25", "lr@41/3=0.001");
        assertThat(logged.lastSteps()).containsExactly(Map.entry("loss", 40L), Map.entry("lr", 41L),
                Map.entry("val_loss", 40L));
        // a final metric the task returned without logging goes at the largest step and epoch logged
        assertThat(logged.logUnlogged(Map.of("test_accuracy", 0.9))).containsExactly("test_accuracy");
        assertThat(points.points).last().isEqualTo("test_accuracy@41/3=0.9");
    }

    @Test
    void theDefaultLogMetricsRejectsANullValueByName() {
        PointList points = new PointList();
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("accuracy", null);
        assertThatThrownBy(() -> points.logMetrics(values, 5, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Metric 'accuracy' was logged with a null value at step 5.");
        assertThat(points.points).isEmpty();
    }
}
