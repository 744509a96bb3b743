/**
 * {@code promtool test rules}: parses rule unit-test files and runs them against a
 * {@link dev.sextant.alert.promtool.TestEngine} the caller provides (the PromQL side).
 */
package dev.sextant.alert.promtool;
