package dev.sextant.collector.internal;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.HttpServiceWithRoutes;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.collector.zipkin.ZipkinFormatException;
import dev.sextant.collector.zipkin.ZipkinSpans;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.Set;

/**
 * Zipkin's span intake, {@code POST /api/v2/spans}: v2 JSON or proto3 {@code ListOfSpans}, gzip
 * or not, decoded to OTLP and stored through the same trace handler and pipeline as OTLP spans
 * (limits, budget, rate limits, durable acknowledgement). Answers as Zipkin does: {@code 202}
 * with no body once stored, or, when spans were dropped or cut to the limits, {@code 202} with a
 * plain-text note saying what; errors are plain text ({@code 400} naming the field, {@code 413},
 * {@code 415}, {@code 429}/{@code 503} with {@code Retry-After}).
 */
public final class ZipkinHttpService implements HttpServiceWithRoutes {
  public static final String PATH = "/api/v2/spans";
  private static final Set<Route> ROUTES = Set.of(
      Route.builder().path(PATH).methods(HttpMethod.POST).build());

  private final HttpIngest<ExportTraceServiceRequest, ExportTraceServiceResponse> ingest;

  public ZipkinHttpService(IngestPipeline pipeline, TraceHandler traces, int maxRequestBytes) {
    this.ingest = HttpIngest.traces(pipeline, traces, new Codec(), maxRequestBytes);
  }

  @Override
  public Set<Route> routes() {
    return ROUTES;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    return ingest.serve(ctx, req);
  }

  private static final class Codec
      implements HttpIngest.Codec<ExportTraceServiceRequest, ExportTraceServiceResponse> {
    @Override
    public LenientOtlpParser.Parsed<ExportTraceServiceRequest> decode(byte[] body, boolean json)
        throws HttpIngest.BadBodyException {
      try {
        ZipkinSpans.Decoded d = json ? ZipkinSpans.fromJson(body) : ZipkinSpans.fromProto3(body);
        return new LenientOtlpParser.Parsed<>(d.request(), d.rejected(), d.firstError());
      } catch (ZipkinFormatException e) {
        throw new HttpIngest.BadBodyException(e.getMessage() + "; nothing from this request was"
            + " stored");
      }
    }

    @Override
    public HttpResponse success(ExportTraceServiceResponse response, boolean json) {
      if (!response.hasPartialSuccess()) {
        return HttpResponse.of(ResponseHeaders.of(HttpStatus.ACCEPTED)); // no body, as Zipkin
      }
      long rejected = response.getPartialSuccess().getRejectedSpans();
      return HttpResponse.of(HttpStatus.ACCEPTED, MediaType.PLAIN_TEXT_UTF_8,
          (rejected > 0 ? rejected + " span(s) dropped, the others stored: "
              : "stored, with values cut to the limits: ")
              + response.getPartialSuccess().getErrorMessage());
    }

    @Override
    public HttpResponse error(HttpStatus status, String message, long retryAfterSeconds,
        boolean json) {
      ResponseHeadersBuilder headers = ResponseHeaders.builder(status)
          .contentType(MediaType.PLAIN_TEXT_UTF_8);
      if (retryAfterSeconds > 0) {
        headers.add(HttpHeaderNames.RETRY_AFTER, String.valueOf(retryAfterSeconds));
      }
      return HttpResponse.of(headers.build(), HttpData.ofUtf8(message));
    }

    @Override
    public String transport(boolean json) {
      return json ? "zipkin/json" : "zipkin/proto3";
    }
  }
}
