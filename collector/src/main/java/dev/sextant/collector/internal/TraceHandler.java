package dev.sextant.collector.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.collector.limits.Signal;
import dev.sextant.storage.SpanConsumer;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import dev.sextant.storage.Span;

/** Traces: validate and convert spans, store them, report rejected ones. */
public final class TraceHandler
    implements SignalHandler<ExportTraceServiceRequest, ExportTraceServiceResponse> {
  private final SpanConsumer consumer;
  private final TraceConverter converter;
  private final TraceWireDecoder wire;
  private final BiConsumer<String, List<Span>> afterStore;

  /**
   * {@code afterStore} sees every batch of spans, with its tenant, once it is durable (RED
   * metrics).
   */
  public TraceHandler(SpanConsumer consumer, IngestLimits limits,
      BiConsumer<String, List<Span>> afterStore) {
    this.consumer = consumer;
    this.converter = new TraceConverter(limits);
    this.wire = new TraceWireDecoder(limits);
    this.afterStore = afterStore;
  }

  @Override
  public Signal signal() {
    return Signal.TRACES;
  }

  private final LenientOtlpParser<ExportTraceServiceRequest> parser = new LenientOtlpParser<>(
      ExportTraceServiceRequest.parser(), io.opentelemetry.proto.trace.v1.Span.parser(), "span");

  @Override
  public LenientOtlpParser<ExportTraceServiceRequest> parser() {
    return parser;
  }

  /**
   * Decodes straight into the store's spans ({@link TraceWireDecoder}); requests it leaves alone
   * (bad items to salvage, cuts to warn about, rare shapes) take the parser and the converter,
   * with the same outcome.
   */
  @Override
  public LenientOtlpParser.Parsed<ExportTraceServiceRequest> parse(byte[] body)
      throws InvalidProtocolBufferException {
    TraceConversion c = wire.decode(body);
    return c == null ? parser.parse(body)
        : new LenientOtlpParser.Parsed<>(ExportTraceServiceRequest.getDefaultInstance(), 0, null, c);
  }

  @Override
  public long parsedItemCount(LenientOtlpParser.Parsed<ExportTraceServiceRequest> parsed) {
    return parsed.decoded() instanceof TraceConversion c ? c.spans().size() + c.rejected()
        : itemCount(parsed.request());
  }

  @Override
  public CompletableFuture<Result<ExportTraceServiceResponse>> storeParsed(
      LenientOtlpParser.Parsed<ExportTraceServiceRequest> parsed, String tenant) {
    return parsed.decoded() instanceof TraceConversion c ? store(c, tenant, 0, null)
        : store(parsed.request(), tenant, parsed.rejected(), parsed.errorMessage());
  }

  @Override
  public long itemCount(ExportTraceServiceRequest request) {
    long n = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
      }
    }
    return n;
  }

  @Override
  public CompletableFuture<Result<ExportTraceServiceResponse>> store(
      ExportTraceServiceRequest request, String tenant, long preRejected, String preError) {
    return store(converter.convert(request), tenant, preRejected, preError);
  }

  private CompletableFuture<Result<ExportTraceServiceResponse>> store(TraceConversion c,
      String tenant, long preRejected, String preError) {
    CompletableFuture<Void> stored = c.spans().isEmpty()
        ? CompletableFuture.completedFuture(null) : consumer.accept(c.spans());
    return stored.thenApply(unused -> {
      afterStore.accept(tenant, c.spans());
      ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
      long rejected = c.rejected() + preRejected;
      if (rejected > 0) {
        b.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
            .setRejectedSpans(rejected)
            .setErrorMessage(Truncations.join(preError != null ? preError : c.errorMessage(),
                c.warning())));
      } else if (c.warning() != null) {
        // Everything stored, something cut to the limits: OTLP's warning form of partial success.
        b.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setErrorMessage(c.warning()));
      }
      return new Result<>(b.build(), rejected);
    });
  }
}
