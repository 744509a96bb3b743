/**
 * The embedded storage (not an API: no other module uses it). {@link
 * dev.sextant.storage.internal.DefaultEmbeddedStorage} opens one store per signal and runs their
 * retention. Packages by signal: {@code spans} (span blocks, codecs, the span index), {@code logs},
 * {@code metrics} (the TSDB); by mechanism, shared by the signals: {@code kv} (RocksDB plumbing:
 * byte encoding, write batches, the group-commit writer, block column families) and {@code index}
 * (Lucene plumbing). Signal packages use the mechanism packages, never each other.
 */
package dev.sextant.storage.internal;
