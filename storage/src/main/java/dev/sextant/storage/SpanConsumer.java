package dev.sextant.storage;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Accepts spans for storage. The returned future completes only once every span is durable (the
 * write-ahead log is synced); it completes exceptionally when nothing of the call was persisted.
 * Spans of one call are written atomically.
 */
@FunctionalInterface
public interface SpanConsumer {
  CompletableFuture<Void> accept(List<Span> spans);
}
