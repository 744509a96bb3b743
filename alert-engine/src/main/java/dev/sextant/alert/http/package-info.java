/**
 * The alert engines' HTTP API (rules, alerts, reload, silences, audit trail, backtests) as one
 * service, {@link dev.sextant.alert.http.AlertApi}, that the server mounts; and the parsing of
 * backtest inputs the API and the {@code rules backtest} command share
 * ({@link dev.sextant.alert.http.BacktestInputs}).
 */
package dev.sextant.alert.http;
