/**
 * Rule evaluation as Prometheus's rule manager does it: rule groups on their intervals, alerting
 * rules with {@code for} and {@code keep_firing_for}, recording rules, alert state kept across
 * restarts, and the read-only view of groups, rules and alerts that the UI and the API show.
 */
package dev.sextant.alert.eval;
