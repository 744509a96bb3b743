package dev.sextant.storage;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Accepts log records for storage. The returned future completes only once every record is durable
 * (the write-ahead log is synced) and searchable through {@link LogReader}; it completes
 * exceptionally when nothing of the call was persisted: with {@link IllegalArgumentException} for
 * an invalid record (bad trace or span ID), with
 * {@link java.util.concurrent.RejectedExecutionException} when the store is over its write budget
 * (retry later), with {@link StorageException} when it is closed. Records of one call are
 * written atomically. A record sent twice is stored twice: records have no identity of their
 * own. Trace and span IDs are accepted in either case, stored and found in lowercase.
 */
@FunctionalInterface
public interface LogConsumer {
  CompletableFuture<Void> accept(List<LogRecord> records);
}
