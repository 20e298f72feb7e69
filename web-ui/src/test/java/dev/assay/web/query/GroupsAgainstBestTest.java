package dev.assay.web.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupsAgainstBestTest {

    private static Rows.Group group(String value, long n, double mean, double std) {
        return new Rows.Group(value, n, n, 0, 0, 0, mean, std, mean - std, mean + std, Map.of(), false, null);
    }

    @Test
    void theHighestMeanIsBestUnlessTheMetricIsMinimized() {
        List<Rows.Group> groups = List.of(group("a", 3, 0.65, 0.05), group("b", 3, 0.82, 0.02));
        List<Rows.Group> max = GroupStatistics.againstBest(groups, false);
        assertThat(max).extracting(Rows.Group::best).containsExactly(false, true);
        assertThat(max.get(0).pVsBest()).isCloseTo(0.01690195582057885, within(1e-12)); // SciPy's Welch p
        assertThat(max.get(1).pVsBest()).isNull();

        List<Rows.Group> min = GroupStatistics.againstBest(groups, true); // e.g. val_loss
        assertThat(min).extracting(Rows.Group::best).containsExactly(true, false);
        assertThat(min.get(1).pVsBest()).isCloseTo(0.01690195582057885, within(1e-12));
    }

    @Test
    void groupsWithoutFiniteValuesAreNeverBestAndGetNoP() {
        Rows.Group allNaN = new Rows.Group("nan", 2, 0, 2, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Map.of(),
                false, null);
        Rows.Group single = group("one", 1, 0.99, Double.NaN);
        List<Rows.Group> out = GroupStatistics.againstBest(List.of(allNaN, group("b", 3, 0.82, 0.02), single), false);
        // the single run has the highest mean: best, but nobody can be tested against one value
        assertThat(out).extracting(Rows.Group::best).containsExactly(false, false, true);
        assertThat(out).extracting(Rows.Group::pVsBest).containsOnlyNulls();
        assertThat(GroupStatistics.againstBest(List.of(allNaN), false)).extracting(Rows.Group::best).containsExactly(false);
    }
}
