/**
 * Read-only queries over the tracking schema for the web UI: the run filter language, sorting and
 * paging in SQL (every value bound as a parameter), and min/max down-sampling of metric series.
 */
package dev.assay.web.query;
