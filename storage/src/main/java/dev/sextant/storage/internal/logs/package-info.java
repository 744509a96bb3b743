/**
 * Logs: {@link dev.sextant.storage.internal.logs.LogStore}, log records in their own RocksDB
 * (a column family per block of record time) searchable through a Lucene index per block (full
 * text on the body, keyword fields), with the records' encoding, documents, queries and crash
 * recovery.
 */
package dev.sextant.storage.internal.logs;
