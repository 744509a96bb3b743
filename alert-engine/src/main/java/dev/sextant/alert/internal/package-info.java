/**
 * Helpers shared inside the alert engine: Prometheus duration strings and the background ticker
 * that runs evaluation, dispatch and delivery. Not API: other modules must not use it.
 */
package dev.sextant.alert.internal;
