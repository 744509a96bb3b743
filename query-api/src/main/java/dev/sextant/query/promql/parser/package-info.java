/**
 * The PromQL parser, independent of the engine: lexer, recursive-descent parser with Prometheus's
 * precedence, type checker, the AST ({@link dev.sextant.query.promql.parser.Expr}), the function
 * signature table ({@link dev.sextant.query.promql.parser.Functions}) and an AST printer that
 * round-trips ({@link dev.sextant.query.promql.parser.Printer}).
 */
package dev.sextant.query.promql.parser;
