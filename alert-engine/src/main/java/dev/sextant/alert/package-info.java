/**
 * The alert engine's entry point: {@link dev.sextant.alert.AlertEngine} wires rule evaluation,
 * routing and durable delivery over one RocksDB directory, configured by
 * {@link dev.sextant.alert.AlertEngineBuilder} and {@link dev.sextant.alert.NotifierConfig}. The
 * engine never parses PromQL: the caller plugs its engine in as a
 * {@link dev.sextant.alert.query.QueryFunction} answering {@link dev.sextant.alert.query.Sample}s.
 */
package dev.sextant.alert;
