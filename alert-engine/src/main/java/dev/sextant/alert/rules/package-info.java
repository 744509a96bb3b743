/**
 * Prometheus rule files: loading and validating them as {@code promtool check rules} does, with
 * problems reported by file and line, and the parsed group and rule configuration.
 */
package dev.sextant.alert.rules;
