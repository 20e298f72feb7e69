/**
 * The experiment file: immutable records for its sections, the YAML loader that validates them
 * against the registered plugins, dotted-path overrides, and the error type that carries
 * file:line:column.
 */
package dev.assay.spec;
