package dev.assay.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** {@link SweepRunner#describe}: a failure in one line, with its root cause unless already quoted. */
class FailureDescriptionTest {

    @Test
    void theRootCauseIsSaidOnceAndOnlyWhenTheMessageLacksIt() {
        // creating a store on a full disk said only 'IO Exception: ".../assay.mv.db" [90028-240]' (a user's check)
        Exception h2 = new IllegalStateException("IO Exception: \"/s/assay.mv.db\" [90028-240]",
                new UncheckedIOException(new IOException("No space left on device")));
        assertThat(SweepRunner.describe(h2)).isEqualTo("IllegalStateException: IO Exception: \"/s/assay.mv.db\""
                + " [90028-240] (caused by IOException: No space left on device)");
        // a message that already quotes its cause's: said once (a provider's failure, wrapped with its name)
        Exception quoted = new IllegalStateException("architecture 'x' (X) failed to build: IllegalStateException: boom",
                new IllegalStateException("boom"));
        assertThat(SweepRunner.describe(quoted))
                .isEqualTo("IllegalStateException: architecture 'x' (X) failed to build: IllegalStateException: boom");
        assertThat(SweepRunner.describe(new IOException("disk"))).isEqualTo("IOException: disk");
    }
}
