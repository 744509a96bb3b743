/**
 * Not API: the record format of cluster mode (docs/cluster-record-format.md). {@link
 * dev.sextant.cluster.internal.WireWriter} and {@link dev.sextant.cluster.internal.WireReader}
 * (varints, bounded reads), and the per-signal item codecs that turn storage's model into the
 * bytes of a Kafka record value and back; {@link dev.sextant.cluster.internal.ReadWire}, the
 * bodies of the store's internal read API (docs/cluster-reads.md) in the same primitives and
 * codecs. Uses nothing of the {@code cluster} package above it.
 */
package dev.sextant.cluster.internal;
