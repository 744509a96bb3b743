/**
 * The storage API: the domain model of every signal ({@link dev.sextant.storage.Span},
 * {@link dev.sextant.storage.LogRecord}; metrics in {@link dev.sextant.storage.metrics}), the
 * writers and readers other modules use ({@link dev.sextant.storage.SpanConsumer},
 * {@link dev.sextant.storage.TraceReader}, {@link dev.sextant.storage.SpanSearch},
 * {@link dev.sextant.storage.LogConsumer}, {@link dev.sextant.storage.LogReader}), the
 * {@link dev.sextant.storage.Storage} component that hands them out, and the embedded
 * implementation's entry point, {@link dev.sextant.storage.embedded.EmbeddedStorage}.
 *
 * <p>A write's future completes once the write is durable. Where null is allowed, the type is
 * marked {@link org.jspecify.annotations.Nullable}. The implementation lives in
 * {@code dev.sextant.storage.internal}, which no other module uses.
 */
package dev.sextant.storage;
