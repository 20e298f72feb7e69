/**
 * The JSON API under {@code /api/}: routes, request parsing, the error type mapped to HTTP status
 * codes, and the JSON encoding (NaN and ±Infinity as the strings {@code "NaN"}, {@code
 * "Infinity"} and {@code "-Infinity"}).
 */
package dev.assay.web.api;
