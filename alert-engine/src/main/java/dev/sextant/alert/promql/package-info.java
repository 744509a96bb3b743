/**
 * The alert engine bound to Sextant's own PromQL engine and stores: rule queries
 * ({@link dev.sextant.alert.promql.PromqlQueryFunction}), expression checks with the real PromQL
 * parser ({@link dev.sextant.alert.promql.PromqlExprChecker}), evidence for pages from stored
 * traces and logs ({@link dev.sextant.alert.promql.TraceEvidence}) and the engine that rule unit
 * tests run on ({@link dev.sextant.alert.promql.ScratchStoreEngine}). The server wires these into
 * each tenant's alert engine; the CLI's {@code rules} commands use them too.
 */
package dev.sextant.alert.promql;
