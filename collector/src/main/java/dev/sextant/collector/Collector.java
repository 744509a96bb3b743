package dev.sextant.collector;

import com.linecorp.armeria.server.HttpServiceWithRoutes;
import com.linecorp.armeria.server.ServerErrorHandler;
import dev.sextant.collector.scrape.ScrapeConfig;
import dev.sextant.collector.scrape.TargetHealth;
import java.util.List;

/**
 * The OTLP front door. Its receivers are services the server mounts: {@link #grpcService()} on
 * the OTLP gRPC port, {@link #httpService()} on the OTLP HTTP port, {@link #zipkinService()}
 * where Zipkin clients send; each carries its own limits and acknowledges only durable data.
 */
public interface Collector extends AutoCloseable {
  static CollectorBuilder builder() {
    return new CollectorBuilder();
  }

  /**
   * The OTLP gRPC receivers ({@code TraceService}, and {@code LogsService} and
   * {@code MetricsService} where there is a writer for them) as one service to mount on the OTLP
   * gRPC port: {@code serverBuilder.virtualHost(port).service(collector.grpcService())}. Its
   * {@link com.linecorp.armeria.server.HttpService#options() options()} carry its request limit:
   * a message over {@code maxRequestBytes} (once inflated) is answered {@code RESOURCE_EXHAUSTED}
   * naming the limit, never cut off by the server's smaller default. A decorator put around it
   * must hand on {@code options()} and {@code exchangeType} (Armeria's
   * {@code SimpleDecoratingHttpService} does).
   */
  HttpServiceWithRoutes grpcService();

  /**
   * The OTLP/HTTP receivers as one service to mount on the OTLP HTTP port:
   * {@code POST /v1/traces} (and {@code /v1/logs}, {@code /v1/metrics} where there is a writer),
   * Zipkin's {@code POST /api/v2/spans} ({@link #zipkinService()}) and, with a metric writer,
   * {@code POST /api/v1/write}, Prometheus remote write 1.0 (see
   * {@link dev.sextant.collector.remotewrite.RemoteWriteService}). Its {@code options()} carry
   * the request limit ({@code maxRequestBytes}) and turn the server's request timeout off, since
   * every request is answered within the collector's write timeout.
   */
  HttpServiceWithRoutes httpService();

  /**
   * Zipkin's span intake, {@code POST /api/v2/spans} (v2 JSON or proto3, gzip or not), as one
   * service to mount where Zipkin clients send, the port Zipkin serves its UI and API on:
   * {@code serverBuilder.service(collector.zipkinService())}, with the same {@code options()} as
   * {@link #httpService()}. Spans take the OTLP trace path: the
   * same limits, byte budget, rate limits and durable acknowledgement, answered {@code 202} as
   * Zipkin does (docs/zipkin.md).
   */
  HttpServiceWithRoutes zipkinService();

  /**
   * The answer to a body over a receiver's request limit, which Armeria refuses before any
   * receiver sees it: {@code 413} with a message naming the limit and
   * {@code limits.maxRequestBytes} (a {@code google.rpc.Status} in the request's encoding on the
   * OTLP/HTTP routes, plain text on the others), instead of Armeria's bare "Request Entity Too
   * Large". Install it server-wide, {@code serverBuilder.errorHandler(collector.errorHandler())}:
   * it answers every non-gRPC 413 that way and leaves everything else to the next handler.
   */
  ServerErrorHandler errorHandler();

  /**
   * Starts scraping {@code configs} too, next to the builder's: for targets whose address is known
   * only once they serve (a process that bound port 0 and reported it).
   *
   * @throws IllegalStateException when there is no metric writer to store into, or after
   *     {@link #close()}
   */
  void scrape(List<ScrapeConfig> configs);

  /** The health of every scrape target, in the order they were added; empty without any. */
  List<TargetHealth> targets();

  /** Bytes of requests accepted but not yet durably stored (the ingest queue's fill). */
  long queueBytes();

  /** Stops scraping and the RED metrics flush (after a last flush). */
  @Override
  void close();
}
