/**
 * The one question the alert engine asks of a query language: a
 * {@link dev.sextant.alert.query.QueryFunction} evaluates an expression at an instant and answers
 * {@link dev.sextant.alert.query.Sample}s. Rules, templates ({@code query "..."}) and backtests
 * ask it; {@code alert.promql} answers it with query-api's PromQL engine. It depends on nothing
 * else in the engine, so every part can use it.
 */
package dev.sextant.alert.query;
