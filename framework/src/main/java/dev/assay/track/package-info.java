/**
 * Tracking: the run-scoped API tasks log through, the batched asynchronous writer, the JDBC store
 * (H2 by default, schema by Flyway) with chunked metric series, and the read side used by the CLI
 * and the web UI.
 */
package dev.assay.track;
