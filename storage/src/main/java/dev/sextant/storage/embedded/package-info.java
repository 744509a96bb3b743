/**
 * Opening the embedded storage: {@link dev.sextant.storage.embedded.EmbeddedStorage} (spans, logs
 * and metrics in one RocksDB + Lucene data directory, with retention) and
 * {@link dev.sextant.storage.embedded.EmbeddedMetricStore} (the metrics TSDB alone). This package
 * sits above {@code storage.internal.*}, which implement the stores and know nothing of it: the
 * model and the reader/writer interfaces stay in {@code dev.sextant.storage} and
 * {@code storage.metrics}, below both.
 */
package dev.sextant.storage.embedded;
