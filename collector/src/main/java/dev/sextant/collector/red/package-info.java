/**
 * Rate, errors and duration metrics derived from ingested spans, as the OpenTelemetry Collector's
 * spanmetrics connector writes them, with a bounded number of label combinations.
 */
package dev.sextant.collector.red;
