package dev.sextant.storage;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Accepts spans for storage. The returned future completes only once every span is durable (the
 * write-ahead log is synced); it completes exceptionally when nothing of the call was persisted:
 * with {@link IllegalArgumentException} when a span's trace or span ID is not valid hex of the
 * right length or is all zero, with {@link StorageException} when the store is closed. Spans of
 * one call are written atomically. A failure is reported through the future, never thrown.
 *
 * <p>A span is identified by its trace and span ID: sent again (a client's retry), it is stored
 * once, read once by {@link TraceReader} and counted once in a {@link TraceSummary}; sent again
 * with other contents, the last write replaces it in {@link TraceReader}'s answers. IDs are
 * accepted in either case and stored in lowercase.
 */
@FunctionalInterface
public interface SpanConsumer {
  CompletableFuture<Void> accept(List<Span> spans);
}
