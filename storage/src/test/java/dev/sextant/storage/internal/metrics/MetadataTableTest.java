package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.MetricMetadata.Type;
import dev.sextant.storage.metrics.MetricStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataTableTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final MetricMetadata REQUESTS =
      new MetricMetadata("http_requests_total", Type.COUNTER, "Requests served.", "");
  private static final MetricMetadata LATENCY =
      new MetricMetadata("latency_seconds", Type.HISTOGRAM, "Latency.", "seconds");

  @TempDir
  Path dir;

  @Test
  void writeMetadata_survivesReopenSortedByMetric() {
    try (MetricStore store = EmbeddedMetricStore.open(dir)) {
      store.writeMetadata(List.of(REQUESTS, LATENCY, REQUESTS));
      assertThat(store.metadata(null, -1, 0)).containsExactly(
          Map.entry("http_requests_total", List.of(REQUESTS)),
          Map.entry("latency_seconds", List.of(LATENCY)));
    }
    try (MetricStore store = EmbeddedMetricStore.open(dir)) {
      assertThat(store.metadata(null, -1, 0)).containsOnlyKeys("http_requests_total",
          "latency_seconds");
      assertThat(store.metadata("latency_seconds", -1, 0).get("latency_seconds"))
          .containsExactly(LATENCY);
      assertThat(store.metadata("nope", -1, 0)).isEmpty();
      assertThat(store.metadata(null, 1, 0)).containsOnlyKeys("http_requests_total");
      assertThat(store.metadata(null, 0, 0)).isEmpty();
    }
  }

  @Test
  void put_newestHelpFirstAndBoundedPerMetric() {
    try (MetricDb db = MetricDb.open(dir, 7_200_000L)) {
      MetadataTable t = MetadataTable.load(db.db);
      for (int i = 0; i < MetadataTable.MAX_PER_METRIC + 2; i++) {
        t.put(List.of(new MetricMetadata("m", Type.GAUGE, "help " + i, "")), T0 + i);
      }
      List<MetricMetadata> kept = t.get("m", -1, 0).get("m");
      assertThat(kept).hasSize(MetadataTable.MAX_PER_METRIC);
      assertThat(kept.get(0).help()).isEqualTo("help " + (MetadataTable.MAX_PER_METRIC + 1));
      assertThat(t.get("m", -1, 1).get("m")).hasSize(1);
      assertThat(MetadataTable.load(db.db).get("m", -1, 0).get("m"))
          .hasSize(MetadataTable.MAX_PER_METRIC);
    }
  }

  @Test
  void put_boundsTextAndRefusesPastMaxEntries() {
    try (MetricDb db = MetricDb.open(dir, 7_200_000L)) {
      MetadataTable t = MetadataTable.load(db.db);
      t.put(List.of(new MetricMetadata("m", Type.GAUGE, "h".repeat(5000), "u".repeat(500)),
          new MetricMetadata("x".repeat(MetadataTable.MAX_NAME_LENGTH + 1), Type.GAUGE, "", "")),
          T0);
      MetricMetadata m = t.get("m", -1, 0).get("m").get(0);
      assertThat(m.help()).hasSize(MetadataTable.MAX_HELP_LENGTH);
      assertThat(m.unit()).hasSize(MetadataTable.MAX_UNIT_LENGTH);
      assertThat(t.dropped()).isEqualTo(1);
      List<MetricMetadata> many = new ArrayList<>();
      for (int i = 0; i < MetadataTable.MAX_ENTRIES + 10; i++) {
        many.add(new MetricMetadata("metric_" + i, Type.COUNTER, "", ""));
      }
      t.put(many, T0);
      assertThat(t.size()).isEqualTo(MetadataTable.MAX_ENTRIES);
      assertThat(t.dropped()).isEqualTo(1 + 11);
    }
  }

  @Test
  void dropSeenBefore_forgetsWhatNobodyReportsAnyMore() {
    try (MetricDb db = MetricDb.open(dir, 7_200_000L)) {
      MetadataTable t = MetadataTable.load(db.db);
      t.put(List.of(REQUESTS), T0);
      t.put(List.of(LATENCY), T0 + 10);
      t.put(List.of(REQUESTS), T0 + 2 * MetadataTable.PERSIST_EVERY_MILLIS);
      t.dropSeenBefore(T0 + 5);
      assertThat(t.get(null, -1, 0)).containsOnlyKeys("http_requests_total", "latency_seconds");
      t.dropSeenBefore(T0 + 11);
      assertThat(t.get(null, -1, 0)).containsOnlyKeys("http_requests_total");
      // The later sighting was persisted: a reopened table keeps it past the same cut-off.
      MetadataTable reopened = MetadataTable.load(db.db);
      reopened.dropSeenBefore(T0 + 11);
      assertThat(reopened.get(null, -1, 0)).containsOnlyKeys("http_requests_total");
    }
  }
}
