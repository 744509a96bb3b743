package dev.sextant.storage;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Positions in an external, replayable log (cluster mode's Kafka offsets) that a store keeps in
 * the same atomic, durable write as the log records read up to them. A reader of that log that
 * dies at any moment and resumes from {@link #position} neither loses a record nor stores one
 * twice, although log records have no identity of their own ({@link LogConsumer}). Spans and
 * samples need no such help: storing them again is harmless (spans are keyed by trace and span
 * ID, a series keeps one sample per timestamp).
 *
 * <p>Keys are the caller's (cluster mode uses {@code kafka/<topic>/<partition>}), at most 1 KiB
 * of UTF-8; positions are >= 0. A position is kept until overwritten: retention does not drop it.
 */
public interface SourcePositions {
  /**
   * Stores {@code records} as {@link LogConsumer#accept} does and sets each of {@code positions}
   * in the same RocksDB write batch: when the future completes every record and every position is
   * durable; when it fails, none is. {@code records} may be empty (then only the positions are
   * written).
   *
   * @throws IllegalArgumentException (in the future) for an invalid record, a blank or too long
   *     key, a negative position
   */
  CompletableFuture<Void> acceptLogs(List<LogRecord> records, Map<String, Long> positions);

  /**
   * The position last made durable under {@code key}, or -1 when there is none.
   *
   * @throws StorageException when the store is closed or cannot be read
   */
  long position(String key);
}
