package dev.sextant.query.prometheus;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sextant.query.Durations;
import dev.sextant.query.prometheus.ApiParams.BadDataException;
import dev.sextant.query.prometheus.PrometheusApi.Params;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.MetricReader;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code /api/v1/metadata} (from the metric store's metadata) and {@code /api/v1/targets} (from
 * whoever scrapes), in Prometheus's shapes and with its parameters.
 */
final class MetadataAndTargets {
  /** What Go's zero {@code time.Time} prints: Prometheus's {@code lastScrape} before any. */
  private static final String NEVER = "0001-01-01T00:00:00Z";

  private final MetricReader reader;
  private final Supplier<List<ActiveTarget>> targets;

  MetadataAndTargets(MetricReader reader, Supplier<List<ActiveTarget>> targets) {
    this.reader = reader;
    this.targets = targets;
  }

  /**
   * {@code limit} (metrics; negative: all, Prometheus's default -1), {@code limit_per_metric}
   * (entries per metric; 0 or negative: all) and {@code metric} (just that one).
   */
  byte[] metadata(Params p) {
    int limit = intParam(p, "limit");
    int perMetric = intParam(p, "limit_per_metric");
    String metric = p.get("metric");
    Map<String, List<MetricMetadata>> found = reader.metadata(
        metric == null || metric.isEmpty() ? null : metric, limit, perMetric);
    return ApiJson.success(g -> {
      g.writeStartObject();
      for (Map.Entry<String, List<MetricMetadata>> e : found.entrySet()) {
        g.writeArrayFieldStart(e.getKey());
        for (MetricMetadata m : e.getValue()) {
          g.writeStartObject();
          g.writeStringField("type", m.type().key());
          g.writeStringField("help", m.help());
          g.writeStringField("unit", m.unit());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    }, null, null);
  }

  /** As Prometheus: {@code -1} when absent, else an integer ({@code "limit must be a number"}). */
  private static int intParam(Params p, String name) {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      return -1;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new BadDataException(name + " must be a number");
    }
  }

  /**
   * {@code state} ({@code active}, {@code dropped}, {@code any}: which lists to fill; the other
   * is empty) and {@code scrapePool} (only that job's targets). Nothing is ever dropped: targets
   * are static, without relabelling.
   */
  byte[] targets(Params p) {
    String state = p.get("state") == null ? "" : p.get("state").toLowerCase(Locale.ROOT);
    boolean active = state.isEmpty() || state.equals("any") || state.equals("active");
    String pool = p.get("scrapePool");
    List<ActiveTarget> list = new ArrayList<>();
    if (active) {
      for (ActiveTarget t : targets.get()) {
        if (pool == null || pool.isEmpty() || pool.equals(t.scrapePool())) {
          list.add(t);
        }
      }
      list.sort(Comparator.comparing(ActiveTarget::scrapePool));
    }
    return ApiJson.success(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("activeTargets");
      for (ActiveTarget t : list) {
        write(g, t);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("droppedTargets");
      g.writeEndArray();
      g.writeEndObject();
    }, null, null);
  }

  private static void write(JsonGenerator g, ActiveTarget t) throws IOException {
    g.writeStartObject();
    labels(g, "discoveredLabels", t.discoveredLabels());
    labels(g, "labels", t.labels());
    g.writeStringField("scrapePool", t.scrapePool());
    g.writeStringField("scrapeUrl", t.scrapeUrl());
    g.writeStringField("globalUrl", t.globalUrl());
    g.writeStringField("lastError", t.lastError());
    Instant last = t.lastScrape();
    g.writeStringField("lastScrape", last == null ? NEVER : last.toString());
    g.writeNumberField("lastScrapeDuration", t.lastScrapeDuration());
    g.writeStringField("health", t.health());
    g.writeStringField("scrapeInterval", Durations.format(t.scrapeInterval()));
    g.writeStringField("scrapeTimeout", Durations.format(t.scrapeTimeout()));
    g.writeEndObject();
  }

  private static void labels(JsonGenerator g, String field, Map<String, String> labels)
      throws IOException {
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }
}
