package dev.assay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.assay.track.NewRun;
import dev.assay.track.TrackingStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreOptionsTest {

    @TempDir
    Path dir;

    private static StoreOptions store(String value) {
        StoreOptions o = new StoreOptions();
        o.store = value;
        return o;
    }

    @Test
    void anEmbeddedFileUrlKeepsItsArtifactsBesideTheDatabaseAsADirectoryStoreDoes() {
        // a jdbc:h2:file: store put artifacts and checkpoints under whatever directory the command ran in,
        // so resume from another directory found no checkpoint and started the trial over
        assertThat(store("jdbc:h2:file:/data/exp/assay;AUTO_SERVER=TRUE").artifactRoot())
                .isEqualTo(Path.of("/data/exp/artifacts"));
        assertThat(store(dir.toString()).artifactRoot()).isEqualTo(dir.resolve("artifacts"));
        assertThat(store("jdbc:h2:tcp://host/~/assay").artifactRoot()).isEqualTo(Path.of("assay-runs", "artifacts"));
        assertThat(TrackingStore.embeddedFile("jdbc:h2:file:./x/assay")).isEqualTo(Path.of("./x/assay"));
        assertThat(TrackingStore.embeddedFile("jdbc:h2:mem:x")).isNull();
    }

    @Test
    void userH2UrlsAreReadAsTheStoreTheyNameAndAnInMemoryOneIsRefused() {
        // found by a new-user check: jdbc:h2:mem: recorded every run into a database gone at exit (exit 0);
        // the jdbc:h2:<path> shorthand put artifacts under ./assay-runs and skipped the "no store there" check;
        // a user's file URL had no AUTO_SERVER, so assay runs could not read it while a sweep wrote
        for (String mem : new String[] {"jdbc:h2:mem:x", "jdbc:h2:mem:", "JDBC:H2:MEM:x;DB_CLOSE_DELAY=-1"}) {
            assertThatThrownBy(() -> store(mem).jdbcUrl()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--store " + mem + ": an in-memory H2 database ends with the process that opens"
                            + " it, so its runs would be lost (and a parallel sweep's workers would each get one of"
                            + " their own); give a directory, or a jdbc:h2:file: or jdbc:h2:tcp: URL");
            assertThatThrownBy(() -> store(mem).existingUrl()).isInstanceOf(IllegalArgumentException.class);
        }
        String shorthand = "jdbc:h2:" + dir.resolve("exp");
        assertThat(store(shorthand).jdbcUrl())
                .isEqualTo("jdbc:h2:file:" + dir.resolve("exp") + ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE");
        assertThat(store(shorthand).artifactRoot()).isEqualTo(dir.resolve("artifacts"));
        assertThat(store(shorthand).holds(dir.resolve("exp.mv.db"))).isTrue();
        assertThatThrownBy(() -> store(shorthand).existingUrl())
                .hasMessageStartingWith("no H2 database at " + dir.resolve("exp") + ".mv.db");
        assertThat(StoreOptions.normalized("jdbc:h2:file:/d/x;WRITE_DELAY=0"))
                .isEqualTo("jdbc:h2:file:/d/x;WRITE_DELAY=0;AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE");
        // what the URL says about these is kept; servers and directories are as given
        assertThat(StoreOptions.normalized("jdbc:h2:file:/d/x;AUTO_SERVER=FALSE")).isEqualTo("jdbc:h2:file:/d/x;AUTO_SERVER=FALSE");
        assertThat(StoreOptions.normalized("jdbc:h2:file:/d/x;AUTO_RECONNECT=FALSE"))
                .isEqualTo("jdbc:h2:file:/d/x;AUTO_RECONNECT=FALSE;AUTO_SERVER=TRUE");
        assertThat(StoreOptions.normalized("jdbc:h2:file:/d/x;ACCESS_MODE_DATA=r")).isEqualTo("jdbc:h2:file:/d/x;ACCESS_MODE_DATA=r");
        assertThat(StoreOptions.normalized("jdbc:h2:tcp://host/~/assay")).isEqualTo("jdbc:h2:tcp://host/~/assay");
        assertThat(StoreOptions.normalized("runs/dir")).isEqualTo("runs/dir");
        // H2 opens what the shorthand becomes, and the reading commands then find it
        try (TrackingStore db = TrackingStore.open(store(shorthand).jdbcUrl())) {
            db.createRun(new NewRun("e", null, "r", 0, "k", 1, null, null, null, null));
        }
        try (TrackingStore db = TrackingStore.open(store(shorthand).existingUrl())) {
            assertThat(db.runs("e")).hasSize(1);
        }
    }

    @Test
    void theStoresOwnFilesAndArtifactsAreToldApartFromOtherPaths() {
        // found by a new-user check: "assay export -o assay-runs/assay.mv.db" overwrote the store it read
        StoreOptions directory = store(dir.toString());
        assertThat(directory.holds(dir.resolve("assay.mv.db"))).isTrue();
        assertThat(directory.holds(dir.resolve("assay.lock.db"))).isTrue();
        assertThat(directory.holds(dir.resolve("artifacts/0123/checkpoints/x.csv"))).isTrue();
        assertThat(directory.holds(dir.resolve("runs.csv"))).isFalse();
        assertThat(directory.holds(dir.resolveSibling("assay.mv.db"))).isFalse();
        StoreOptions url = store("jdbc:h2:file:" + dir.resolve("exp") + ";AUTO_SERVER=TRUE");
        assertThat(url.holds(dir.resolve("exp.mv.db"))).isTrue();
        assertThat(url.holds(dir.resolve("assay.mv.db"))).isFalse();
        assertThat(store("jdbc:h2:tcp://host/~/assay").holds(dir.resolve("assay.mv.db"))).isFalse();
    }

    @Test
    void anEmptyStoreOptionIsRefusedNotTakenAsTheWorkingDirectory() {
        // found by a new-user check: "--store $STORE" with STORE unset put assay.mv.db in the working directory
        for (String empty : new String[] {"", " "}) {
            assertThatThrownBy(() -> store(empty).jdbcUrl()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--store is empty; give a directory or a JDBC URL, or leave the option out for"
                            + " $ASSAY_STORE, else ./assay-runs");
        }
    }

    @Test
    void readingCommandsRefuseAMissingEmbeddedFileUrlAndADirectoryWithASemicolon() {
        // a mistyped URL silently created an empty database and reported "No runs yet"
        String url = "jdbc:h2:file:" + dir.resolve("none").resolve("assay");
        assertThatThrownBy(() -> store(url + ";AUTO_SERVER=TRUE").existingUrl())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no H2 database at " + dir.resolve("none").resolve("assay") + ".mv.db (from " + url
                        + "): run an experiment into it first, or correct the URL.");
        assertThatThrownBy(() -> store(dir.resolve("semi;colon").toString()).jdbcUrl())
                .hasMessageContaining("contains ';', which an H2 URL cannot hold");
    }

    @Test
    void aStoreFileHoldingNoDatabaseIsRefusedByReadingCommandsAndLeftAsItIs() throws Exception {
        // a user's check: a 0-byte assay.mv.db (a store created on a full disk) became a new empty store
        // under "assay runs" ("No runs yet"), its runs' artifacts orphaned
        Path empty = java.nio.file.Files.createDirectories(dir.resolve("empty-store"));
        java.nio.file.Files.createFile(empty.resolve("assay.mv.db"));
        CliFixture r = CliFixture.run("runs", "--store", empty.toString());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).isEqualTo("error: the store file " + empty.resolve("assay.mv.db") + " holds no database (0"
                + " bytes: empty, or cut short as it was created, e.g. on a full disk); a reading command does not make"
                + " it a new store. Move it away (its runs' artifacts stay beside it) and restore it from a copy, or run"
                + " an experiment to start a new store." + System.lineSeparator());
        assertThat(empty.resolve("assay.mv.db")).isEmptyFile();
        // only H2's two header blocks: the same, by URL too
        java.nio.file.Files.write(empty.resolve("assay.mv.db"), new byte[(int) StoreOptions.H2_HEADERS]);
        assertThatThrownBy(() -> store("jdbc:h2:file:" + empty.resolve("assay")).existingUrl())
                .hasMessageContaining("holds no database (8192 bytes");
    }

    @Test
    void aStoreThatIsAFileOrCannotBeCreatedIsBadInputNamingIt() throws Exception {
        // assay run --store FILE answered "error: UncheckedIOException: Cannot create the tracking directory ..."
        Path file = java.nio.file.Files.writeString(dir.resolve("runs.csv"), "x");
        assertThatThrownBy(() -> store(file.toString()).jdbcUrl()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--store " + file + " is a file, not a directory: give the directory that holds"
                        + " (or is to hold) assay.mv.db, or a jdbc: URL");
        assertThatThrownBy(() -> store(file.resolve("store").toString()).jdbcUrl())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--store " + file.resolve("store") + ": cannot create the directory (");
    }

    @Test
    void aJdbcUrlNoDriverAcceptsIsBadInputNamingIt() {
        // was "error: TrackingException: ... No suitable driver" with exit 1, from deep in the store's opening
        assertThatThrownBy(() -> store("jdbc:foo:bar").jdbcUrl()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--store jdbc:foo:bar: no JDBC driver accepts this URL; Assay ships H2's"
                        + " (jdbc:h2:file:DIR/assay, jdbc:h2:tcp://HOST/PATH), or give the store's directory");
        assertThatThrownBy(() -> store("jdbc:foo:bar").readingUrl()).isInstanceOf(IllegalArgumentException.class);
        assertThat(store("jdbc:h2:tcp://host/~/assay").jdbcUrl()).isEqualTo("jdbc:h2:tcp://host/~/assay");
    }

    @Test
    void durationOptionsBeyondWhatAJavaDurationHoldsAreRefusedAsBadInput() {
        // --checkpoint-interval 1e300 and --stale-after 9223372036854775807 passed and then failed as a bare
        // ArithmeticException (exit 1), leaving the run "running"
        CheckpointOptions checkpoints = new CheckpointOptions();
        checkpoints.seconds = 1e300;
        assertThatThrownBy(checkpoints::interval).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--checkpoint-interval must be a number of seconds from 0 to 1000000000, got 1.0E300.");
        checkpoints.seconds = -1; // it read "got -1.0"
        assertThatThrownBy(checkpoints::interval)
                .hasMessage("--checkpoint-interval must be a number of seconds from 0 to 1000000000, got -1.");
        checkpoints.seconds = -0.5;
        assertThatThrownBy(checkpoints::interval).hasMessageEndingWith(", got -0.5.");
        checkpoints.seconds = 1e9;
        assertThat(checkpoints.interval().toNanos()).isEqualTo(1_000_000_000_000_000_000L);
        SweepOptions sweep = new SweepOptions();
        sweep.staleAfterSeconds = Long.MAX_VALUE;
        assertThatThrownBy(sweep::staleAfter).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--stale-after must be from 10 to 1000000000 seconds, got 9223372036854775807");
    }

    @Test
    void aStaleAfterShorterThanTwoHeartbeatsIsRefusedAsItTakesALiveRunForADeadOne() {
        // found by a new-user check: --stale-after 0 marked a training process's run interrupted, continued
        // it from a checkpoint the live process then replaced, and recorded the completed run failed
        SweepOptions sweep = new SweepOptions();
        sweep.staleAfterSeconds = 9;
        assertThatThrownBy(sweep::staleAfter).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--stale-after must be from 10 to 1000000000 seconds, got 9: a running trial records a"
                        + " heartbeat every 5 s, so a shorter wait takes a live run for a dead one");
        sweep.staleAfterSeconds = 10;
        assertThat(sweep.staleAfter()).isEqualTo(java.time.Duration.ofSeconds(10));
        CliFixture zero = CliFixture.run("run", "missing.yaml", "--stale-after", "0");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).contains("--stale-after must be from 10 to 1000000000 seconds, got 0");
    }

    @Test
    void aStoreThisUserCannotWriteIsReadWithoutAutoServerAndRefusedForRecording() throws Exception {
        // H2 refused such a store outright ("Feature not supported: AUTO_SERVER=TRUE && (readOnly ...)"), so
        // assay runs, show and ui could not read a store on a read-only mount or of another user. Tests run as
        // root, for whom every file is writable: the test of writability is given.
        Path stored = dir.resolve("shared");
        String runId;
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(stored))) {
            runId = db.createRun(new NewRun("exp", null, "trial-0", 0, "k", 1, null, null,
                    java.util.Map.of("a", "1"), java.util.Map.of()));
        }
        StoreOptions options = store(stored.toString());
        String url = options.readingUrl(p -> false);
        assertThat(url).isEqualTo("jdbc:h2:file:" + stored.toAbsolutePath() + "/assay;ACCESS_MODE_DATA=r");
        try (TrackingStore db = TrackingStore.open(url)) {
            assertThat(db.runs("exp")).extracting(r -> r.runId()).containsExactly(runId);
        }
        assertThat(options.readingUrl(p -> true)).contains(";AUTO_SERVER=TRUE");
        assertThat(options.readingUrl(p -> !p.equals(stored))).endsWith(";ACCESS_MODE_DATA=r"); // the directory alone
        assertThatThrownBy(() -> options.jdbcUrl(p -> false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the store in '" + stored + "' cannot be written (this user may not write assay.mv.db or"
                        + " its directory), and runs are recorded there; choose a writable --store DIR"
                        + " (assay runs, show, compare, export and ui can still read this one)");
        // a read-only mount is said to be one: it was reported as this user's permissions, which no chmod mends
        assertThat(StoreOptions.whyNotWritable(stored, p -> p.equals(stored))).isEqualTo("its file system is mounted read-only");
        assertThat(StoreOptions.whyNotWritable(stored, p -> false)).isEqualTo("this user may not write assay.mv.db or its directory");
        // a directory without a store yet is no read-only store: recording creates it
        assertThat(store(dir.resolve("new").toString()).jdbcUrl(p -> false)).contains(";AUTO_SERVER=TRUE");
    }
}
