/**
 * Prometheus scraping of static targets: the scrape config and its limits, the text and
 * OpenMetrics parsers, the per-target scrape cache and staleness markers, and the scheduler.
 */
package dev.sextant.collector.scrape;
