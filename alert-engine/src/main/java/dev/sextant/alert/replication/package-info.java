/**
 * The seam for replicating an alert engine's durable state (alert states, silences, notification
 * log, outbox) elsewhere, e.g. to a compacted Kafka topic in cluster mode: {@link
 * dev.sextant.alert.replication.StateListener} hears every local write, {@link
 * dev.sextant.alert.replication.StateDirectory} rebuilds an engine's data directory from a copy.
 * Knows nothing of Kafka.
 */
package dev.sextant.alert.replication;
