/**
 * The metrics API: {@link dev.sextant.storage.metrics.Labels} and
 * {@link dev.sextant.storage.metrics.LabelMatcher} (with RE2 regular expressions,
 * {@link dev.sextant.storage.metrics.UserRegex}), the
 * {@link dev.sextant.storage.metrics.MetricWriter} and
 * {@link dev.sextant.storage.metrics.MetricReader} of samples, series limits, and the embedded
 * TSDB on its own ({@link dev.sextant.storage.metrics.MetricStore}), which tools and tests open
 * without the rest of the storage.
 */
package dev.sextant.storage.metrics;
