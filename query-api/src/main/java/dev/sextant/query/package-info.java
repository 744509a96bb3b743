/**
 * What every HTTP API of the query side shares: Prometheus's parsing of time and duration
 * parameters ({@link dev.sextant.query.TimeParams}) and the native API's JSON error bodies.
 */
package dev.sextant.query;
