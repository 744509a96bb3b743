/**
 * Lucene plumbing the span and log indexes share: {@link
 * dev.sextant.storage.internal.index.LuceneIndex} (near-real-time search, periodic commits that
 * record a watermark for crash recovery, sealing), attribute keyword fields, and keeping terms
 * within Lucene's limits. Knows no signal: each signal's documents and queries live in its own
 * package.
 */
package dev.sextant.storage.internal.index;
