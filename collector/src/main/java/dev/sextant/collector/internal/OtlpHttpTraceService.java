package dev.sextant.collector.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpData;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * {@code POST /v1/traces} with {@code application/x-protobuf}, as OTLP/HTTP defines it: 200 with
 * an ExportTraceServiceResponse once durable, 400 for a malformed body, 415 for another content
 * type, 503 with {@code Retry-After} when storage refuses.
 */
public final class OtlpHttpTraceService implements HttpService {
  private static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");

  private final TraceIngest ingest;

  public OtlpHttpTraceService(TraceIngest ingest) {
    this.ingest = ingest;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    if (req.method() != HttpMethod.POST) {
      return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED, MediaType.PLAIN_TEXT_UTF_8,
          "method: " + req.method() + " (expected: POST)");
    }
    MediaType type = req.contentType();
    if (type == null || !type.is(PROTOBUF)) {
      return HttpResponse.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, MediaType.PLAIN_TEXT_UTF_8,
          "Content-Type: "
          + (type == null ? "missing" : type.toString()) + " (expected: application/x-protobuf)");
    }
    return HttpResponse.of(req.aggregate().thenCompose(agg -> handle(agg)));
  }

  private java.util.concurrent.CompletableFuture<HttpResponse> handle(AggregatedHttpRequest agg) {
    ExportTraceServiceRequest request;
    try {
      request = ExportTraceServiceRequest.parseFrom(agg.content().array());
    } catch (InvalidProtocolBufferException e) {
      return java.util.concurrent.CompletableFuture.completedFuture(OtlpHttpErrors.error(
          HttpStatus.BAD_REQUEST, "body: malformed ExportTraceServiceRequest protobuf: "
              + e.getMessage()));
    }
    return ingest.export(request).handle((response, failure) -> {
      if (failure != null) {
        return HttpResponse.of(ResponseHeaders.builder(HttpStatus.SERVICE_UNAVAILABLE)
                .add(HttpHeaderNames.RETRY_AFTER, String.valueOf(IngestFailures.RETRY_AFTER_SECONDS))
                .contentType(MediaType.PLAIN_TEXT_UTF_8).build(),
            HttpData.ofUtf8(IngestFailures.message(failure)));
      }
      return HttpResponse.of(HttpStatus.OK, PROTOBUF, response.toByteArray());
    });
  }
}
