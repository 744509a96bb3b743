/**
 * PromQL evaluation with Prometheus 3.x semantics for float samples: {@link
 * dev.sextant.query.promql.PromqlEngine} (instant and range queries) configured by {@link
 * dev.sextant.query.promql.EngineOptions}. The grammar lives in {@code promql.parser}, the
 * evaluator in {@code promql.engine}.
 */
package dev.sextant.query.promql;
