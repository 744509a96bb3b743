/**
 * JSON bodies of the alerting HTTP APIs in Prometheus's and Alertmanager v2's shapes (rules,
 * alerts, silences, the delivery audit trail); no HTTP itself.
 */
package dev.sextant.alert.api;
