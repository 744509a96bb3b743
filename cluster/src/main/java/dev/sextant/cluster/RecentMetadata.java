package dev.sextant.cluster;

import dev.sextant.storage.metrics.MetricMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metric metadata a sink produced lately, per tenant: scrapes and OTLP exports repeat the same
 * metadata on every request, and producing it each time would double a scrape's Kafka traffic.
 * An entry is due again when new, different from what was sent, or older than {@link #REFRESH}.
 */
final class RecentMetadata {
  /**
   * Unchanged metadata is produced again after this long: stores keep metadata in memory, so one
   * that restarted (and resumes from its own offsets, past the last copy) has it back within it.
   */
  static final Duration REFRESH = Duration.ofMinutes(5);
  /** Entries kept at most; past it the table starts over (everything is due once more). */
  static final int MAX_ENTRIES = 100_000;

  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();

  /** The entries of {@code metadata} to produce now, marked as sent at {@code nowNanos}. */
  List<MetricMetadata> due(String tenant, List<MetricMetadata> metadata, long nowNanos) {
    if (sentAt.size() > MAX_ENTRIES) {
      sentAt.clear();
    }
    List<MetricMetadata> out = new ArrayList<>();
    for (MetricMetadata m : metadata) {
      Long last = sentAt.get(key(tenant, m));
      if (last == null || nowNanos - last >= REFRESH.toNanos()) {
        sentAt.put(key(tenant, m), nowNanos);
        out.add(m);
      }
    }
    return out;
  }

  /** Forgets entries whose produce failed, so the next call sends them again. */
  void forget(String tenant, List<MetricMetadata> metadata) {
    metadata.forEach(m -> sentAt.remove(key(tenant, m)));
  }

  private static String key(String tenant, MetricMetadata m) {
    return tenant + '\n' + m.metric() + '\n' + m.type() + '\n' + m.unit() + '\n' + m.help();
  }
}
