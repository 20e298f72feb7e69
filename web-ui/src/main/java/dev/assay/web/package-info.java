/**
 * The Assay web UI: {@link dev.assay.web.AssayWebServer} serves the read-only JSON API under
 * {@code /api/} and the static pages (plain HTML and JavaScript, uPlot from a WebJar) over a
 * tracking store.
 */
package dev.assay.web;
