/**
 * Spans: {@link dev.sextant.storage.internal.spans.SpanStore} opens the trace RocksDB, whose
 * spans live in blocks of write time ({@link dev.sextant.storage.internal.spans.SpanBlocks}), each
 * a column family keyed by trace ID and a Lucene index. Writes and trace reads: {@link
 * dev.sextant.storage.internal.spans.RocksSpanStore}; the stored encodings: {@link
 * dev.sextant.storage.internal.spans.SpanCodec} while a block is written, the block dictionary's
 * {@link dev.sextant.storage.internal.spans.DictionarySpanCodec} once it is sealed ({@link
 * dev.sextant.storage.internal.spans.DictionaryRewrite}); the span index (its documents, queries,
 * trace summaries, crash recovery): {@link dev.sextant.storage.internal.spans.SpanIndexer}; trace
 * search across blocks: {@link dev.sextant.storage.internal.spans.BlockSpanSearch}.
 *
 * <p>The span index's documents are here rather than in {@code index}: like the log documents in
 * {@code logs}, they are one signal's schema, and they share package-private state with the
 * indexer and the summariser.
 */
package dev.sextant.storage.internal.spans;
