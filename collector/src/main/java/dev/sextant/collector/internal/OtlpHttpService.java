package dev.sextant.collector.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * OTLP/HTTP for one signal: {@code POST} with {@code application/x-protobuf} or
 * {@code application/json}, optionally {@code Content-Encoding: gzip}. Answers in the request's
 * encoding once the data is durable; errors carry a {@code google.rpc.Status} body.
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
public final class OtlpHttpService<Req extends Message, Resp extends Message>
    implements HttpService {
  private final IngestPipeline pipeline;
  private final SignalHandler<Req, Resp> handler;
  private final Supplier<Message.Builder> newBuilder;
  private final int maxRequestBytes;

  public OtlpHttpService(IngestPipeline pipeline, SignalHandler<Req, Resp> handler,
      Supplier<Message.Builder> newBuilder, int maxRequestBytes) {
    this.pipeline = pipeline;
    this.handler = handler;
    this.newBuilder = newBuilder;
    this.maxRequestBytes = maxRequestBytes;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    if (req.method() != HttpMethod.POST) {
      return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED, MediaType.PLAIN_TEXT_UTF_8,
          "method: " + req.method() + " (expected: POST)");
    }
    MediaType type = req.contentType();
    boolean json;
    if (type != null && type.is(OtlpHttpErrors.PROTOBUF)) {
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
    String tenant = Tenants.fromHeader(req.headers().get(Tenants.HEADER));
    String signal = handler.signal().key();
    // The server's own timeout would answer a bare 503 that OTLP clients cannot tell from a
    // crash; this service keeps the deadline itself and answers every expiry with a retry hint.
    ctx.clearRequestTimeout();
    long deadline = System.nanoTime() + pipeline.writeTimeoutNanos();
    // The body's bytes count against the ingest budget as they arrive, before aggregation
    // buffers them: over the budget, the body stops being read and the answer is a refusal.
    IngestBudget.Reservation reservation = pipeline.reserve();
    HttpRequest counted = req.mapData(data -> {
      if (!reservation.released()) {
        pipeline.refuseIfOver(reservation, data.length(), signal);
        return data;
      }
      throw new IllegalStateException("request already answered");
    });
    // Aggregation does no work on the event loop beyond collecting the chunks as they arrive.
    CompletableFuture<AggregatedHttpRequest> body = IngestDeadline.within(
        counted.aggregate(), deadline - System.nanoTime(),
        () -> pipeline.timedOut("request body not received within "
            + TimeUnit.NANOSECONDS.toMillis(pipeline.writeTimeoutNanos()) + " ms; nothing from"
            + " this request was stored"),
        () -> IngestMetrics.INSTANCE.refused.labelValues(signal, "body_timeout").inc());
    // Gunzip, parse, validation and conversion run on the decoding threads, never on the event
    // loop, which other requests (/health among them) share. An oversized body fails the
    // aggregation itself: that failure passes through unchanged and the server answers it with
    // 413 as soon as the limit is crossed.
    CompletableFuture<HttpResponse> answer = body.thenCompose(agg -> pipeline.decode(ctx,
        signal, agg.content().length(), deadline,
        () -> handle(agg, json, encoding.equals("gzip"), tenant, reservation, deadline)))
        .exceptionally(failure -> {
          if (IngestFailures.unwrap(failure) instanceof IngestRefusedException) {
            return OtlpHttpErrors.refused(failure, json);
          }
          throw failure instanceof CompletionException c ? c : new CompletionException(failure);
        });
    answer.whenComplete((unused, failure) -> reservation.answered());
    return HttpResponse.of(answer);
  }

  /** Runs on a decoding thread. */
  @SuppressWarnings("unchecked")
  private CompletableFuture<HttpResponse> handle(AggregatedHttpRequest agg, boolean json,
      boolean gzip, String tenant, IngestBudget.Reservation reservation, long deadline) {
    byte[] body = agg.content().array();
    LenientOtlpParser.Parsed<Req> request;
    try {
      if (gzip) {
        body = BoundedGunzip.gunzip(body, maxRequestBytes);
      }
      if (json) {
        Message.Builder b = newBuilder.get();
        OtlpJson.merge(body, b);
        request = new LenientOtlpParser.Parsed<>((Req) b.build(), 0, null);
      } else {
        request = handler.parser().parse(body);
      }
    } catch (BoundedGunzip.TooLargeException e) {
      return done(OtlpHttpErrors.error(HttpStatus.REQUEST_ENTITY_TOO_LARGE, e.getMessage(), json));
    } catch (InvalidProtocolBufferException e) {
      return done(OtlpHttpErrors.error(HttpStatus.BAD_REQUEST, "body: malformed "
          + handler.signal().key() + " request (" + (json ? "OTLP/JSON" : "protobuf") + "): "
          + e.getMessage(), json));
    } catch (IOException e) {
      return done(OtlpHttpErrors.error(HttpStatus.BAD_REQUEST,
          "body: invalid gzip data: " + e.getMessage(), json));
    }
    return pipeline.handle(handler, request, reservation, body.length, tenant,
        json ? "http/json" : "http/protobuf", deadline).handle((resp, failure) ->
            failure == null ? success(resp, json) : OtlpHttpErrors.refused(failure, json));
  }

  private static HttpResponse success(Message resp, boolean json) {
    return json ? HttpResponse.of(HttpStatus.OK, MediaType.JSON, OtlpJson.print(resp))
        : HttpResponse.of(HttpStatus.OK, OtlpHttpErrors.PROTOBUF, resp.toByteArray());
  }

  private static CompletableFuture<HttpResponse> done(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }
}
