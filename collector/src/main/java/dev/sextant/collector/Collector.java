package dev.sextant.collector;

import com.linecorp.armeria.server.HttpServiceWithRoutes;
import com.linecorp.armeria.server.VirtualHostBuilder;
import dev.sextant.collector.scrape.ScrapeConfig;
import dev.sextant.collector.scrape.TargetHealth;
import java.util.List;

/**
 * The OTLP front door. The server binds its gRPC services to the OTLP gRPC port and its HTTP
 * routes to the OTLP HTTP port; both acknowledge only durable data.
 */
public interface Collector extends AutoCloseable {
  static CollectorBuilder builder() {
    return new CollectorBuilder();
  }

  /** Adds the OTLP gRPC services (TraceService, …) to {@code host}. */
  void bindGrpc(VirtualHostBuilder host);

  /**
   * Adds {@code POST /v1/traces} (and the other OTLP/HTTP routes) to {@code host}, Zipkin's
   * {@code POST /api/v2/spans} ({@link #zipkinService()}) and, with a metric writer,
   * {@code POST /api/v1/write}, Prometheus remote write 1.0 (see
   * {@link dev.sextant.collector.remotewrite.RemoteWriteService}).
   */
  void bindHttp(VirtualHostBuilder host);

  /**
   * Zipkin's span intake, {@code POST /api/v2/spans} (v2 JSON or proto3, gzip or not), as one
   * service to mount where Zipkin clients send, the port Zipkin serves its UI and API on:
   * {@code serverBuilder.service(collector.zipkinService())}. Spans take the OTLP trace path: the
   * same limits, byte budget, rate limits and durable acknowledgement, answered {@code 202} as
   * Zipkin does (docs/zipkin.md).
   */
  HttpServiceWithRoutes zipkinService();

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
