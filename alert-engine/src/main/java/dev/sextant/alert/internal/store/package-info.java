/**
 * The alert engine's one RocksDB: a table per kind of state (alert state, silences, notification
 * log, outbox, audit, meta), closed safely while calls are in flight. Not API.
 */
package dev.sextant.alert.internal.store;
