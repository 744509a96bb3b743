/**
 * PromQL evaluation with Prometheus 3.x semantics for float samples, laid out as Prometheus's
 * {@code promql} package: the face is {@link dev.sextant.query.promql.PromqlEngine} (instant and
 * range queries) configured by {@link dev.sextant.query.promql.EngineOptions}; beside it, package
 * private, the evaluator (selector pre-loading, step-wise evaluation, binary operators,
 * aggregations and the function implementation table). The grammar lives in
 * {@code promql.parser}, which knows nothing of evaluation.
 */
package dev.sextant.query.promql;
