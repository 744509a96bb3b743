/**
 * Cluster mode on Apache Kafka as the replicated log (issue 16): {@link
 * dev.sextant.cluster.KafkaSink}, the collector role's writers (storage's {@code SpanConsumer},
 * {@code LogConsumer} and {@code MetricWriter}) that answer only once Kafka acknowledged every
 * record; {@link dev.sextant.cluster.StoreConsumer}, the store role's consumer-group member that
 * writes its partitions into embedded stores and commits offsets only after the writes are
 * durable; {@link dev.sextant.cluster.ClusterTopics} and {@link dev.sextant.cluster.Partitioning},
 * the topics and the key-to-partition function that writers and the query fan-out share;
 * {@link dev.sextant.cluster.StoreReadService}, the store role's internal read API, and
 * {@link dev.sextant.cluster.RemoteStorage}, the query role's storage that fans reads out to it
 * and merges them, reporting stores that did not answer as warnings; {@link
 * dev.sextant.cluster.StoreAnnouncer} and {@link dev.sextant.cluster.StoreDirectory}, the stores'
 * announcements on a compacted topic and the query side's list of the stores that are members of
 * their consumer groups (discovery without a static list). The record format is
 * docs/cluster-record-format.md; the read API docs/cluster-reads.md.
 */
package dev.sextant.cluster;
