package dev.assay.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Scheduled sampling's teacher mask is drawn per example and step. */
class TeacherMaskTest {

    @Test
    void eachExampleDrawsItsOwnStepsAndStepZeroAlwaysReadsTheTrueToken() {
        int rows = 64;
        int steps = 11;
        float[] mask = Seq2SeqTask.teacherMask(rows, steps, 0.75, new Random(1));

        assertThat(mask).hasSize(rows * steps);
        int ones = 0;
        Set<String> distinctRows = new HashSet<>();
        for (int i = 0; i < rows; i++) {
            assertThat(mask[i * steps]).as("step 0 of example " + i).isEqualTo(1f);
            StringBuilder row = new StringBuilder();
            for (int t = 1; t < steps; t++) {
                assertThat(mask[i * steps + t]).isIn(0f, 1f);
                ones += (int) mask[i * steps + t];
                row.append((int) mask[i * steps + t]);
            }
            distinctRows.add(row.toString());
        }
        // one draw per step for the whole batch made every row the same
        assertThat(distinctRows).hasSizeGreaterThan(rows / 2);
        // 640 draws at 0.75: 480 expected, sd 11
        assertThat(ones).isBetween(480 - 45, 480 + 45);
        assertThat(Seq2SeqTask.teacherMask(rows, steps, 0.75, new Random(1))).isEqualTo(mask);
        float[] never = Seq2SeqTask.teacherMask(3, 4, 0.0, new Random(2));
        assertThat(never).containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0);
    }
}
