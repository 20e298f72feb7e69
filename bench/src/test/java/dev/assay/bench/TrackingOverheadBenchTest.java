package dev.assay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrackingOverheadBenchTest {

    @Test
    void overFourRoundsEveryArmRunsFirstOnceAndFollowsEveryOtherArmOnce() {
        int[][] orders = TrackingOverheadBench.ORDERS;
        assertThat(orders).hasDimensions(4, 4);
        Set<Integer> firsts = new HashSet<>();
        Set<String> followings = new HashSet<>();
        for (int[] round : orders) {
            assertThat(round).containsExactlyInAnyOrder(0, 1, 2, 3);
            firsts.add(round[0]);
            for (int k = 1; k < round.length; k++) {
                followings.add(round[k - 1] + "->" + round[k]);
            }
        }
        assertThat(firsts).containsExactlyInAnyOrder(0, 1, 2, 3);
        // 4 rounds x 3 successions = 12 = every ordered pair of 4 arms exactly once
        assertThat(followings).hasSize(12);
    }
}
