/**
 * The metrics TSDB behind {@link dev.sextant.storage.metrics.MetricStore}: {@link
 * dev.sextant.storage.internal.metrics.TsdbStore}, a series registry and label postings in memory,
 * Gorilla chunks in RocksDB blocks of sample time, head chunks in memory backed by a write-group
 * WAL, series limits, retention and recovery.
 */
package dev.sextant.storage.internal.metrics;
