package dev.sextant.collector.internal;

import com.google.protobuf.Message;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CompletionException;

/**
 * One HTTP ingest endpoint on the shared pipeline: {@code POST} with {@code application/x-protobuf}
 * or {@code application/json}, optionally {@code Content-Encoding: gzip}; the body counted
 * against the ingest byte budget as it arrives, inflated (bounded) and decoded off the event loop,
 * stored through the signal's handler (rate limits, disk guard, durable write) and answered once
 * durable, within the pipeline's write timeout. What differs between endpoints (OTLP/HTTP,
 * Zipkin) is the {@link Codec}: how a body is decoded and how answers are worded.
 *
 * <p>Every request is answered by this service within the pipeline's write timeout of its arrival,
 * never by the server's request timeout (a bare 503 without {@code Retry-After}), which is turned
 * off for it: if the body has not arrived or storage has not confirmed the write by then, the
 * answer is {@code 503} with {@code Retry-After}. After such a storage timeout the write may still
 * complete: a retry is safe for spans (storage keys them by trace and span ID, so the second copy
 * replaces the first) and for metric samples (a sample at a time its series already has is
 * dropped); a retried log record may be stored twice, and a retried delta-temporality point is
 * added to its series' running total again.
 */
public final class HttpIngest<Req extends Message, Resp extends Message> implements HttpService {
  /** How one endpoint reads bodies and words its answers. */
  public interface Codec<Req, Resp> {
    /**
     * Decodes an inflated body; runs on a decoding thread.
     *
     * @throws BadBodyException whose message is the 400's, naming the field
     */
    LenientOtlpParser.Parsed<Req> decode(byte[] body, boolean json) throws BadBodyException;

    /** The answer once the request's items are durable (or rejected as invalid). */
    HttpResponse success(Resp response, boolean json);

    /**
     * An error answer; {@code retryAfterSeconds} is above 0 for a retryable refusal (429, 503),
     * which must carry it as {@code Retry-After}.
     */
    HttpResponse error(HttpStatus status, String message, long retryAfterSeconds, boolean json);

    /** The {@code transport} label of the request-duration metric. */
    String transport(boolean json);
  }

  /** A body that does not decode: the client's error, answered 400 with the message. */
  public static final class BadBodyException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadBodyException(String message) {
      super(message, null, false, false);
    }
  }

  static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");

  private final HttpBodyIngest body;
  private final SignalHandler<Req, Resp> handler;
  private final Codec<Req, Resp> codec;
  private final int maxRequestBytes;

  HttpIngest(IngestPipeline pipeline, SignalHandler<Req, Resp> handler, Codec<Req, Resp> codec,
      int maxRequestBytes) {
    this.body = new HttpBodyIngest(pipeline);
    this.handler = handler;
    this.codec = codec;
    this.maxRequestBytes = maxRequestBytes;
  }

  /** An endpoint that stores spans through {@code traces}, with bodies read by {@code codec}. */
  public static HttpIngest<ExportTraceServiceRequest, ExportTraceServiceResponse> traces(
      IngestPipeline pipeline, TraceHandler traces,
      Codec<ExportTraceServiceRequest, ExportTraceServiceResponse> codec, int maxRequestBytes) {
    return new HttpIngest<>(pipeline, traces, codec, maxRequestBytes);
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    if (req.method() != HttpMethod.POST) {
      return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED, MediaType.PLAIN_TEXT_UTF_8,
          "method: " + req.method() + " (expected: POST)");
    }
    MediaType type = req.contentType();
    boolean json;
    if (type != null && type.is(PROTOBUF)) {
      json = false;
    } else if (type != null && type.is(MediaType.JSON)) {
      json = true;
    } else {
      return HttpResponse.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, MediaType.PLAIN_TEXT_UTF_8,
          "Content-Type: " + (type == null ? "missing" : type.toString())
              + " (expected: application/x-protobuf or application/json)");
    }
    String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING, "identity")
        .trim().toLowerCase(Locale.ROOT);
    if (!encoding.equals("identity") && !encoding.equals("gzip")) {
      return HttpResponse.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, MediaType.PLAIN_TEXT_UTF_8,
          "Content-Encoding: " + encoding + " (expected: gzip or identity)");
    }
    // The same bound wherever the route is mounted (a port whose default differs included).
    ctx.setMaxRequestLength(maxRequestBytes);
    String tenant = Tenants.fromHeader(req.headers().get(Tenants.HEADER));
    boolean gzip = encoding.equals("gzip");
    // An oversized body fails the aggregation itself: that failure passes through unchanged and
    // the server answers it with 413 as soon as the limit is crossed.
    return HttpResponse.of(body.ingest(ctx, req, handler, tenant, codec.transport(json),
        raw -> decode(raw, json, gzip)).handle((resp, failure) -> {
          if (failure == null) {
            return codec.success(resp, json);
          }
          Throwable cause = IngestFailures.unwrap(failure);
          if (cause instanceof HttpBodyIngest.BadBodyException b) {
            return codec.error(b.status(), b.getMessage(), 0, json);
          }
          if (cause instanceof IngestRefusedException r) {
            return refused(r, json);
          }
          if (cause instanceof ContentTooLargeException) {
            throw failure instanceof CompletionException c ? c : new CompletionException(failure);
          }
          return codec.error(HttpStatus.INTERNAL_SERVER_ERROR, String.valueOf(cause), 0, json);
        }));
  }

  /** Runs on a decoding thread. */
  private HttpBodyIngest.Decoded<Req> decode(byte[] raw, boolean json, boolean gzip)
      throws HttpBodyIngest.BadBodyException {
    try {
      byte[] body = gzip ? BoundedGunzip.gunzip(raw, maxRequestBytes) : raw;
      return new HttpBodyIngest.Decoded<>(codec.decode(body, json), body.length);
    } catch (BoundedGunzip.TooLargeException e) {
      throw new HttpBodyIngest.BadBodyException(HttpStatus.REQUEST_ENTITY_TOO_LARGE,
          e.getMessage());
    } catch (BadBodyException e) {
      throw new HttpBodyIngest.BadBodyException(HttpStatus.BAD_REQUEST, e.getMessage());
    } catch (IOException e) {
      throw new HttpBodyIngest.BadBodyException(HttpStatus.BAD_REQUEST,
          "body: invalid gzip data: " + e.getMessage());
    }
  }

  private HttpResponse refused(IngestRefusedException r, boolean json) {
    return switch (r.reason()) {
      case INVALID -> codec.error(HttpStatus.BAD_REQUEST, r.getMessage(), 0, json);
      case THROTTLED -> codec.error(HttpStatus.TOO_MANY_REQUESTS, r.getMessage(),
          r.retryAfterSeconds(), json);
      case OVERLOADED -> codec.error(HttpStatus.SERVICE_UNAVAILABLE, r.getMessage(),
          r.retryAfterSeconds(), json);
    };
  }
}
