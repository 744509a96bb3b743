package dev.sextant.collector;

import dev.sextant.collector.limits.IngestLimits;
import com.linecorp.armeria.server.HttpServiceWithRoutes;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.ServiceOptions;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import dev.sextant.collector.internal.DiskSpaceGuard;
import dev.sextant.collector.internal.GrpcErrors;
import dev.sextant.collector.internal.IngestPipeline;
import dev.sextant.collector.internal.LogHandler;
import dev.sextant.collector.internal.MetricHandler;
import dev.sextant.collector.internal.OtlpHttpService;
import dev.sextant.collector.internal.RawGrpcOtlpService;
import dev.sextant.collector.internal.ReceiverService;
import dev.sextant.collector.internal.TooLargeErrorHandler;
import dev.sextant.collector.internal.TenantRedMetrics;
import dev.sextant.collector.internal.TraceHandler;
import dev.sextant.collector.internal.ZipkinHttpService;
import dev.sextant.collector.remotewrite.RemoteWriteService;
import dev.sextant.collector.scrape.ScrapeConfig;
import dev.sextant.collector.scrape.Scraper;
import dev.sextant.collector.scrape.TargetHealth;
import dev.sextant.storage.metrics.MetricWriter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;



final class DefaultCollector implements Collector {
  private final IngestPipeline pipeline;
  private final TraceHandler traces;
  private final LogHandler logs;
  private final MetricHandler metrics;
  private final ZipkinHttpService zipkin;
  private final HttpServiceWithRoutes zipkinMounted;
  private final HttpServiceWithRoutes grpc;
  private final HttpServiceWithRoutes http;
  private final int maxRequestBytes;
  private final IngestLimits limits;
  private final MetricWriter metricWriter;
  private final TenantRedMetrics red; // null when off
  private Scraper scraper; // guarded by this; null until there is a target
  private boolean closed; // guarded by this

  DefaultCollector(CollectorBuilder b) {
    this.pipeline = new IngestPipeline(b.queueBytes, b.rateLimits, b.diskDir == null ? null
        : new DiskSpaceGuard(b.diskDir.toFile(),
            b.minFreeDiskBytes), b.writeTimeout);
    this.metricWriter = b.metricWriter;
    boolean redOn = b.metricWriter != null && b.redMetricsInterval.toMillis() > 0;
    MetricWriter all = b.metricWriter;
    this.red = !redOn ? null : b.redMetricsWriters != null
        ? new TenantRedMetrics(b.redMetricsWriters, true, b.redMetricsInterval.toMillis())
        : new TenantRedMetrics(tenant -> all, false, b.redMetricsInterval.toMillis());
    this.traces = new TraceHandler(b.spanConsumer, b.limits,
        red == null ? (tenant, spans) -> { } : red::record);
    this.scraper = b.scrapeConfigs.isEmpty() ? null
        : Scraper.start(b.scrapeConfigs, b.metricWriter);
    this.logs = b.logConsumer == null ? null : new LogHandler(b.logConsumer, b.limits);
    this.metrics = b.metricWriter == null ? null : new MetricHandler(b.metricWriter, b.limits);
    this.maxRequestBytes = b.limits.maxRequestBytes();
    this.limits = b.limits;
    this.zipkin = new ZipkinHttpService(pipeline, traces, maxRequestBytes);
    this.zipkinMounted = ReceiverService.of(zipkin, httpOptions());
    this.grpc = buildGrpc();
    this.http = buildHttp();
  }

  @Override
  public HttpServiceWithRoutes grpcService() {
    return grpc;
  }

  @Override
  public HttpServiceWithRoutes httpService() {
    return http;
  }

  private HttpServiceWithRoutes buildGrpc() {
    GrpcServiceBuilder grpc = GrpcService.builder()
        .addService(RawGrpcOtlpService.of(TraceServiceGrpc.SERVICE_NAME, pipeline, traces,
            maxRequestBytes))
        .maxRequestMessageLength(maxRequestBytes)
        .decompressorRegistry(RawGrpcOtlpService.DECOMPRESSORS) // gzip inflated off the loop
        .exceptionHandler(GrpcErrors::toStatus);
    if (logs != null) {
      grpc.addService(RawGrpcOtlpService.of(LogsServiceGrpc.SERVICE_NAME, pipeline, logs,
          maxRequestBytes));
    }
    if (metrics != null) {
      grpc.addService(RawGrpcOtlpService.of(MetricsServiceGrpc.SERVICE_NAME, pipeline, metrics,
          maxRequestBytes));
    }
    // The message limit (after decompression) answers RESOURCE_EXHAUSTED; the HTTP-level limit
    // is set above it so it never pre-empts that with a bare 413 a gRPC client can't interpret.
    // The server's request timeout stays: GrpcIngest answers before the client's deadline or
    // before 90% of that timeout, whichever comes first.
    return ReceiverService.of(grpc.build(), ServiceOptions.builder()
        .maxRequestLength(maxRequestBytes * 2L + (1 << 20)).build());
  }

  private HttpServiceWithRoutes buildHttp() {
    Map<Route, HttpService> routes = new LinkedHashMap<>();
    routes.put(Route.builder().path("/v1/traces").build(), new OtlpHttpService<>(pipeline,
        traces, ExportTraceServiceRequest::newBuilder, maxRequestBytes));
    if (logs != null) {
      routes.put(Route.builder().path("/v1/logs").build(), new OtlpHttpService<>(pipeline, logs,
          ExportLogsServiceRequest::newBuilder, maxRequestBytes));
    }
    if (metrics != null) {
      routes.put(Route.builder().path("/v1/metrics").build(), new OtlpHttpService<>(pipeline,
          metrics, ExportMetricsServiceRequest::newBuilder, maxRequestBytes));
      // Prometheus remote write; the path Prometheus itself serves its receiver on.
      routes.put(Route.builder().path("/api/v1/write").build(),
          RemoteWriteService.of(pipeline, metricWriter, limits));
    }
    zipkin.routes().forEach(r -> routes.put(r, zipkin));
    return ReceiverService.of(routes, httpOptions());
  }

  /**
   * The HTTP receivers' settings: bodies up to maxRequestBytes (413 above), and no server request
   * timeout, since each request is answered within the pipeline's write timeout (with the
   * Retry-After the server's own timeout would not give).
   */
  private ServiceOptions httpOptions() {
    return ServiceOptions.builder().maxRequestLength(maxRequestBytes).requestTimeoutMillis(0)
        .build();
  }

  @Override
  public HttpServiceWithRoutes zipkinService() {
    return zipkinMounted;
  }

  @Override
  public ServerErrorHandler errorHandler() {
    return new TooLargeErrorHandler();
  }

  @Override
  public synchronized void scrape(
      List<ScrapeConfig> configs) {
    Objects.requireNonNull(configs, "configs");
    if (metricWriter == null) {
      throw new IllegalStateException("scrape: no metricWriter to store into");
    }
    if (closed) {
      throw new IllegalStateException("scrape: collector closed");
    }
    if (scraper == null) {
      scraper = Scraper.start(configs, metricWriter);
    } else {
      scraper.add(configs);
    }
  }

  @Override
  public synchronized List<TargetHealth> targets() {
    return scraper == null ? List.of() : scraper.targets();
  }

  @Override
  public long queueBytes() {
    return pipeline.queueBytes();
  }

  @Override
  public void close() {
    pipeline.close();
    Scraper s;
    synchronized (this) {
      closed = true;
      s = scraper;
    }
    if (s != null) {
      s.close();
    }
    if (red != null) {
      red.close();
    }
  }
}
