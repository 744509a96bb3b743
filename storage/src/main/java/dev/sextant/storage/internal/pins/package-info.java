/**
 * The pin store: a small RocksDB per data directory, outside the time blocks, holding the pinned
 * set and the copies of pinned spans and log lines that retention never sweeps.
 */
package dev.sextant.storage.internal.pins;
