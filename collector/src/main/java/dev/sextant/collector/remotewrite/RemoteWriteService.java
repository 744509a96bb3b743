package dev.sextant.collector.remotewrite;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.collector.internal.HttpBodyIngest;
import dev.sextant.collector.internal.HttpBodyIngest.BadBodyException;
import dev.sextant.collector.internal.IngestPipeline;
import dev.sextant.collector.internal.IngestRefusedException;
import dev.sextant.collector.internal.Tenants;
import dev.sextant.collector.remotewrite.prompb.Remote.WriteRequest;
import dev.sextant.storage.metrics.MetricWriter;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * Prometheus remote write 1.0: {@code POST} of a snappy-compressed (block format) protobuf
 * {@code prometheus.WriteRequest}, as Prometheus, Grafana Agent/Alloy and the OpenTelemetry
 * Collector's {@code prometheusremotewrite} exporter send it. Samples go through the collector's
 * ingest pipeline (byte budget, the tenant's metrics rate limit by {@code X-Scope-OrgID},
 * decoding off the event loop) into the metric writer; metadata into its metadata.
 *
 * <p>Answers, as the remote-write specification asks (a sender retries 5xx, and 429 when told
 * to; it drops a batch answered with another 4xx):
 * <ul>
 *   <li>{@code 204} once every sample is durable (out-of-order and duplicate samples are dropped
 *       and counted by the store, as for every other source);</li>
 *   <li>{@code 400} naming the first problem when the body is not snappy or not a
 *       {@code WriteRequest}, or when some series were rejected (invalid labels, over a label or
 *       series limit, native histograms): the others are stored, so the batch must not be
 *       resent;</li>
 *   <li>{@code 413} when the body, or its declared decoded length, is over
 *       {@link IngestLimits#maxRequestBytes()} (checked before the decoded buffer exists);</li>
 *   <li>{@code 415} for another {@code Content-Encoding} than snappy, or remote write 2.0;</li>
 *   <li>{@code 429} (over the tenant's rate limit) and {@code 503} (overload, disk full, storage
 *       slow) with {@code Retry-After}: nothing was stored, retry.</li>
 * </ul>
 */
public final class RemoteWriteService implements HttpService {
  static final String VERSION_HEADER = "x-prometheus-remote-write-version";
  private static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");

  private final HttpBodyIngest ingest;
  private final RemoteWriteHandler handler;
  private final int maxRequestBytes;

  private RemoteWriteService(IngestPipeline pipeline, MetricWriter writer, IngestLimits limits) {
    this.ingest = new HttpBodyIngest(pipeline);
    this.handler = new RemoteWriteHandler(writer, limits);
    this.maxRequestBytes = limits.maxRequestBytes();
  }

  /**
   * The service over {@code pipeline}, storing into {@code writer} (the tenant's store is the
   * writer's business: it runs with the request's context current).
   */
  public static RemoteWriteService of(IngestPipeline pipeline, MetricWriter writer,
      IngestLimits limits) {
    return new RemoteWriteService(requireNonNull(pipeline, "pipeline"),
        requireNonNull(writer, "writer"), requireNonNull(limits, "limits"));
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    if (req.method() != HttpMethod.POST) {
      return text(HttpStatus.METHOD_NOT_ALLOWED, "method: " + req.method()
          + " (expected: POST)");
    }
    String unsupported = unsupported(req);
    if (unsupported != null) {
      return text(HttpStatus.UNSUPPORTED_MEDIA_TYPE, unsupported);
    }
    String tenant = Tenants.fromHeader(req.headers().get(Tenants.HEADER));
    return HttpResponse.of(ingest.ingest(ctx, req, handler, tenant, "prometheus/remote-write",
        this::decode).handle((outcome, failure) -> {
          if (failure == null) {
            return answer(outcome);
          }
          Throwable cause = HttpBodyIngest.cause(failure);
          if (cause instanceof IngestRefusedException r) {
            return refused(r);
          }
          if (cause instanceof BadBodyException b) {
            return text(b.status(), b.getMessage());
          }
          // The aggregation's own failure (a body over the route's limit): the server answers.
          throw failure instanceof CompletionException c ? c : new CompletionException(failure);
        }));
  }

  /** Why the request's headers rule it out, or null. */
  private static @Nullable String unsupported(HttpRequest req) {
    String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    if (encoding != null && !encoding.trim().equalsIgnoreCase("snappy")) {
      return "Content-Encoding: " + encoding + " (expected: snappy)";
    }
    MediaType type = req.contentType();
    String proto = type == null ? null : type.parameters().containsKey("proto")
        ? type.parameters().get("proto").get(0) : null;
    String version = req.headers().get(VERSION_HEADER, "0.1.0").trim();
    if ((proto != null && !proto.equals("prometheus.WriteRequest")) || version.startsWith("2")) {
      return "remote write " + version + (proto == null ? "" : " (" + proto + ")")
          + " is not supported (expected: remote write 1.0, prometheus.WriteRequest)";
    }
    if (type != null && !type.is(PROTOBUF)) {
      return "Content-Type: " + type + " (expected: application/x-protobuf)";
    }
    return null;
  }

  /** Runs on a decoding thread. */
  private HttpBodyIngest.Decoded<WriteRequest> decode(byte[] body) throws BadBodyException {
    byte[] raw;
    try {
      raw = SnappyBlock.decode(body, maxRequestBytes);
    } catch (SnappyBlock.TooLargeException e) {
      throw new BadBodyException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "body: " + e.getMessage());
    } catch (SnappyBlock.CorruptException e) {
      throw new BadBodyException(HttpStatus.BAD_REQUEST, "body: not a snappy block ("
          + e.getMessage() + "); remote write bodies are snappy-compressed, block format");
    }
    try {
      return HttpBodyIngest.Decoded.of(WriteRequest.parseFrom(raw), raw.length);
    } catch (InvalidProtocolBufferException e) {
      throw new BadBodyException(HttpStatus.BAD_REQUEST, "body: malformed remote write request"
          + " (protobuf prometheus.WriteRequest): " + e.getMessage());
    }
  }

  private static HttpResponse answer(RemoteWriteHandler.Outcome outcome) {
    if (outcome.rejected() == 0) {
      return HttpResponse.of(HttpStatus.NO_CONTENT);
    }
    return text(HttpStatus.BAD_REQUEST, String.format(Locale.ROOT,
        "%d of %d samples rejected, the others were stored (do not resend this batch): %s",
        outcome.rejected(), outcome.samples(), outcome.message()));
  }

  private static HttpResponse refused(IngestRefusedException r) {
    if (r.reason() == IngestRefusedException.Reason.INVALID) {
      return text(HttpStatus.BAD_REQUEST, r.getMessage());
    }
    HttpStatus status = r.reason() == IngestRefusedException.Reason.THROTTLED
        ? HttpStatus.TOO_MANY_REQUESTS : HttpStatus.SERVICE_UNAVAILABLE;
    return HttpResponse.of(ResponseHeaders.builder(status)
        .add(HttpHeaderNames.RETRY_AFTER, String.valueOf(r.retryAfterSeconds()))
        .contentType(MediaType.PLAIN_TEXT_UTF_8).build(),
        HttpData.ofUtf8(r.getMessage() + "\n"));
  }

  private static HttpResponse text(HttpStatus status, String message) {
    return HttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8, message + "\n");
  }
}
