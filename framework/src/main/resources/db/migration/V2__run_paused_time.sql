-- Time a continued run spent stopped (between its interruption and its continuation), in
-- milliseconds; a run's duration is end_millis - start_millis - paused_millis.
ALTER TABLE runs ADD COLUMN paused_millis BIGINT NOT NULL DEFAULT 0;
