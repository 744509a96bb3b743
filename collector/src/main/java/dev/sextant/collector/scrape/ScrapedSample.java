package dev.sextant.collector.scrape;

import dev.sextant.storage.metrics.Labels;

/** One parsed sample; {@code timestampMillis} is -1 when the exposition gave none. */
public record ScrapedSample(Labels labels, double value, long timestampMillis) {}
