/**
 * RocksDB plumbing every signal uses: {@link dev.sextant.storage.internal.kv.ByteWriter} and
 * {@link dev.sextant.storage.internal.kv.ByteReader} (varints, strings) and
 * {@link dev.sextant.storage.internal.kv.AttributeCodec} for stored values;
 * {@link dev.sextant.storage.internal.kv.BatchBuilder}, the one write-batch builder, and
 * {@link dev.sextant.storage.internal.kv.GroupCommitWriter}, the one write path (acknowledged
 * means durable); {@link dev.sextant.storage.internal.kv.Block} and
 * {@link dev.sextant.storage.internal.kv.BlockFamilies}, the time partitions and the column
 * families named after them. Knows no signal.
 */
package dev.sextant.storage.internal.kv;
