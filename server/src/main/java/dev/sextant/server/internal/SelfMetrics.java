package dev.sextant.server.internal;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import dev.sextant.storage.UnindexedRecords;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** {@code GET /metrics}: Sextant's own metrics in the Prometheus text format. */
public final class SelfMetrics {
  private static final ExpositionFormats FORMATS = ExpositionFormats.init();

  static {
    JvmMetrics.builder().register(PrometheusRegistry.defaultRegistry);
    // Records Lucene refused: kept in storage, left out of search (see UnindexedRecords).
    CounterWithCallback.builder()
        .name("sextant_storage_unindexed_records_total")
        .help("Records stored but left out of the search index because Lucene refused them")
        .labelNames("signal")
        .callback(c -> {
          c.call(UnindexedRecords.spansTotal(), "traces");
          c.call(UnindexedRecords.logRecordsTotal(), "logs");
        })
        .register(PrometheusRegistry.defaultRegistry);
  }

  private SelfMetrics() {}

  public static HttpService service() {
    return service(new PrometheusRegistry());
  }

  /**
   * The process's metrics, then {@code node}'s: metrics of one server of the process (a cluster
   * node's role), which a test's second server in the same JVM does not share.
   */
  public static HttpService service(PrometheusRegistry node) {
    return (ctx, req) -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
      try {
        FORMATS.getPrometheusTextFormatWriter()
            .write(out, PrometheusRegistry.defaultRegistry.scrape());
        FORMATS.getPrometheusTextFormatWriter().write(out, node.scrape());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return HttpResponse.of(HttpStatus.OK,
          MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), out.toByteArray());
    };
  }
}
