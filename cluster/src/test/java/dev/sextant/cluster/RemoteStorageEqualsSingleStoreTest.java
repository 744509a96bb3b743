package dev.sextant.cluster;

import static dev.sextant.storage.conformance.Fixtures.MS;
import static dev.sextant.storage.conformance.Fixtures.NOW;
import static dev.sextant.storage.conformance.Fixtures.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.query.promql.EngineOptions;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.query.promql.QueryResult;
import dev.sextant.storage.LogPage;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Span;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.conformance.Fixtures;
import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricReader;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import dev.sextant.storage.metrics.TimeSeries;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same data in one embedded store and spread over three store nodes by partition: every
 * read through {@link RemoteStorage} answers what the single store answers (trace search with
 * each option, traces, names, log search with every filter and paging, series, label names and
 * values, and PromQL range queries evaluated over each).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteStorageEqualsSingleStoreTest {
  private static final String[] SERVICES = {"web", "cart", "payments", "mail"};
  private static final long T = NOW / MS;

  @TempDir
  static Path dir;

  private ReadCluster cluster;
  private RemoteStorage remote;
  private Storage single;
  private final List<String> traceIds = new ArrayList<>();

  @BeforeAll
  void write() {
    cluster = new ReadCluster(dir.resolve("cluster"), 3);
    remote = cluster.remote().build();
    single = EmbeddedStorage.open(dir.resolve("single"));
    Random random = new Random(16);
    List<Span> spans = new ArrayList<>();
    List<LogRecord> logs = new ArrayList<>();
    for (int t = 0; t < 60; t++) {
      String traceId = Fixtures.traceId();
      traceIds.add(traceId);
      String rootId = Fixtures.spanId();
      long start = t * SECOND;
      String rootService = SERVICES[t % SERVICES.length];
      spans.add(Fixtures.span(traceId, rootId, "", rootService, "GET /" + rootService, start,
          (10 + random.nextInt(500)) * MS).attributes(Map.<String, Object>of("http.status_code", 200L)).build());
      for (int c = 0; c < 1 + random.nextInt(4); c++) {
        String service = SERVICES[random.nextInt(SERVICES.length)];
        boolean error = random.nextInt(5) == 0;
        spans.add(Fixtures.span(traceId, Fixtures.spanId(), rootId, service, "call " + c,
            start + (c + 1) * MS, (1 + random.nextInt(50)) * MS)
            .statusCode(error ? StatusCode.ERROR : StatusCode.UNSET)
            .attributes(Map.<String, Object>of("peer", SERVICES[c % SERVICES.length])).build());
      }
      for (int l = 0; l < 3; l++) {
        logs.add(Fixtures.log(rootService, "request " + t + " step " + l + (l == 2 ? " failed" : ""),
            start + l * MS + 7).severityNumber(l == 2 ? 17 : 9)
            .traceId(l == 0 ? "" : traceId).attributes(Map.<String, Object>of("step", (long) l)).build());
      }
    }
    List<TimeSeries> series = new ArrayList<>();
    for (String job : SERVICES) {
      for (int i = 0; i < 5; i++) {
        long[] ts = new long[60];
        double[] vs = new double[60];
        for (int s = 0; s < ts.length; s++) {
          ts[s] = T - 600_000 + s * 10_000L;
          vs[s] = s * (i + 1) + random.nextInt(3);
        }
        series.add(new TimeSeries(Labels.of("__name__", "http_requests_total", "job", job,
            "instance", "i" + i), ts, vs));
      }
    }
    single.spanConsumer().accept(spans).join();
    single.logConsumer().accept(logs).join();
    single.metricWriter().write(series).join();
    cluster.writeSpans(StoreReadService.DEFAULT_TENANT, spans).join();
    cluster.writeLogs(StoreReadService.DEFAULT_TENANT, logs).join();
    cluster.writeSeries(StoreReadService.DEFAULT_TENANT, series).join();
    TraceQuery everything = TraceQuery.builder().limit(TraceQuery.MAX_LIMIT).build();
    Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(single.spanSearch().search(everything)).hasSize(traceIds.size());
      assertThat(remote.spanSearch().search(everything)).hasSize(traceIds.size());
    });
  }

  @AfterAll
  void close() {
    remote.close();
    cluster.close();
    single.close();
  }

  @Test
  void search_equalsTheSingleStoreForEachOption() {
    List<TraceQuery> queries = List.of(
        TraceQuery.builder().limit(TraceQuery.MAX_LIMIT).build(),
        TraceQuery.builder().serviceName("cart").limit(TraceQuery.MAX_LIMIT).build(),
        TraceQuery.builder().serviceName("web").spanName("GET /web").limit(5).build(),
        TraceQuery.builder().errorsOnly(true).limit(TraceQuery.MAX_LIMIT).build(),
        TraceQuery.builder().attribute("peer", "cart").limit(TraceQuery.MAX_LIMIT)
            .build(),
        TraceQuery.builder().attribute("http.status_code", "200").limit(7).build(),
        TraceQuery.builder().minDuration(Duration.ofMillis(100)).maxDuration(Duration.ofMillis(300)).limit(TraceQuery.MAX_LIMIT)
            .order(TraceQuery.Order.DURATION_DESC).build(),
        TraceQuery.builder().timeRange(NOW + 10 * SECOND, NOW + 20 * SECOND)
            .limit(TraceQuery.MAX_LIMIT).build());
    for (TraceQuery q : queries) {
      assertThat(remote.spanSearch().search(q)).as(q.toString())
          .isNotEmpty().isEqualTo(single.spanSearch().search(q));
    }
  }

  @Test
  void namesAndTraces_equalTheSingleStore() {
    assertThat(remote.spanSearch().services()).isEqualTo(single.spanSearch().services())
        .containsExactly("cart", "mail", "payments", "web");
    for (String s : SERVICES) {
      assertThat(remote.spanSearch().spanNames(s)).isEqualTo(single.spanSearch().spanNames(s));
    }
    for (String id : traceIds) {
      assertThat(new HashSet<>(remote.traceReader().getTrace(id)))
          .isNotEmpty().isEqualTo(new HashSet<>(single.traceReader().getTrace(id)));
      assertThat(remote.traceReader().getTrace(id, 2)).hasSize(2);
    }
  }

  @Test
  void logs_equalTheSingleStoreForEachFilterAndAcrossPages() {
    List<LogQuery> queries = List.of(
        LogQuery.builder().limit(LogQuery.MAX_LIMIT).build(),
        LogQuery.builder().text("failed").limit(LogQuery.MAX_LIMIT).build(),
        LogQuery.builder().minSeverity(13).serviceName("cart").limit(LogQuery.MAX_LIMIT).build(),
        LogQuery.builder().traceId(traceIds.get(3)).limit(LogQuery.MAX_LIMIT).build(),
        LogQuery.builder().attribute("step", "1").limit(LogQuery.MAX_LIMIT).build(),
        LogQuery.builder().timeRange(NOW + 5 * SECOND, NOW + 9 * SECOND).limit(LogQuery.MAX_LIMIT)
            .build());
    for (LogQuery q : queries) {
      List<LogRecord> expected = single.logReader().search(q).records();
      assertThat(remote.logReader().search(q).records()).as(q.toString()).isNotEmpty()
          .isEqualTo(expected);
      for (int limit : new int[] {1, 7, 50}) {
        assertThat(pages(q, limit)).as(q + " in pages of " + limit).isEqualTo(expected);
      }
    }
  }

  private List<LogRecord> pages(LogQuery q, int limit) {
    List<LogRecord> out = new ArrayList<>();
    String cursor = "";
    do {
      LogPage page = remote.logReader().search(new LogQuery(q.text(), q.minSeverity(),
          q.serviceName(), q.traceId(), q.spanId(), q.correlationId(), q.attributes(),
          q.fromUnixNano(), q.toUnixNano(), limit, cursor));
      assertThat(page.records()).hasSizeLessThanOrEqualTo(limit).isNotEmpty();
      out.addAll(page.records());
      cursor = page.nextCursor();
    } while (!cursor.isEmpty());
    return out;
  }

  @Test
  void metrics_equalTheSingleStore() {
    List<List<LabelMatcher>> selectors = List.of(
        List.of(LabelMatcher.eq("__name__", "http_requests_total")),
        List.of(LabelMatcher.re("job", "web|cart"), LabelMatcher.neq("instance", "i2")),
        List.of(LabelMatcher.nre("job", "w.*")));
    MetricReader r = remote.metricReader();
    MetricReader s = single.metricReader();
    for (List<LabelMatcher> m : selectors) {
      assertThat(samples(r.select(m, T - 300_000, T))).as(m.toString()).isNotEmpty()
          .isEqualTo(samples(s.select(m, T - 300_000, T)));
      assertThat(r.labelNames(m, T - 300_000, T)).isEqualTo(s.labelNames(m, T - 300_000, T));
      assertThat(r.labelValues("instance", m, T - 300_000, T))
          .isEqualTo(s.labelValues("instance", m, T - 300_000, T));
    }
    PromqlEngine overCluster = PromqlEngine.of(r, EngineOptions.defaults());
    PromqlEngine overSingle = PromqlEngine.of(s, EngineOptions.defaults());
    for (String q : List.of("sum by (job) (rate(http_requests_total[2m]))",
        "http_requests_total{job=\"mail\"}", "max(http_requests_total) by (instance)")) {
      QueryResult a = overCluster.rangeQuery(q, T - 300_000, T, 15_000);
      QueryResult b = overSingle.rangeQuery(q, T - 300_000, T, 15_000);
      assertThat(a.matrix()).as(q).isNotEmpty().hasSameSizeAs(b.matrix());
      for (int i = 0; i < a.matrix().size(); i++) {
        assertThat(a.matrix().get(i).labels().toString())
            .isEqualTo(b.matrix().get(i).labels().toString());
        assertThat(a.matrix().get(i).timesMs()).isEqualTo(b.matrix().get(i).timesMs());
        assertThat(a.matrix().get(i).values()).isEqualTo(b.matrix().get(i).values());
      }
    }
  }

  private static List<String> samples(List<Series> series) {
    List<String> out = new ArrayList<>();
    for (Series s : series) {
      StringBuilder b = new StringBuilder(s.labels().toString());
      SampleIterator it = s.samples();
      while (it.next()) {
        b.append(' ').append(it.timestamp()).append('=').append(it.value());
      }
      out.add(b.toString());
    }
    return out;
  }
}
