/**
 * Durable delivery of notifications: the RocksDB outbox, the worker that sends with retries,
 * backoff and per-receiver circuit breakers, and the PagerDuty and webhook receivers that shape
 * the HTTP bodies. Not API.
 */
package dev.sextant.alert.internal.delivery;
