/**
 * Engine internals: selector pre-loading, step-wise evaluation, binary operators, aggregations
 * and the function implementation table. Not API; use {@link dev.sextant.query.promql.PromqlEngine}.
 */
package dev.sextant.query.promql.engine;
