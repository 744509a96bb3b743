package dev.sextant.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.collector.limits.RateLimits;
import dev.sextant.collector.limits.Signal;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class IngestPipelineTest {
  private final List<CompletableFuture<Void>> pendingWrites = new ArrayList<>();
  private final TraceHandler handler = new TraceHandler(spans -> {
    CompletableFuture<Void> f = new CompletableFuture<>();
    pendingWrites.add(f);
    return f;
  }, IngestLimits.defaults(), (tenant, spans) -> { });

  private static ExportTraceServiceRequest oneSpan() {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .addScopeSpans(ScopeSpans.newBuilder()
                .addSpans(Span.newBuilder()
                    .setTraceId(ByteString.copyFrom(new byte[] {
                        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}))
                    .setSpanId(ByteString.copyFrom(new byte[] {
                        1, 1, 1, 1, 1, 1, 1, 1}))))).build();
  }

  private static LenientOtlpParser.Parsed<ExportTraceServiceRequest> request() {
    return new LenientOtlpParser.Parsed<>(oneSpan(), 0, null);
  }

  @Test
  void handle_refusesOverBudgetUntilWritesComplete() {
    IngestPipeline p = new IngestPipeline(100, RateLimits.unlimited());
    CompletableFuture<ExportTraceServiceResponse> first =
        p.handle(handler, request(), 80, "t", "test");
    CompletableFuture<ExportTraceServiceResponse> second =
        p.handle(handler, request(), 80, "t", "test");
    assertThat(second).isCompletedExceptionally();
    assertThat(refusal(second).reason()).isEqualTo(IngestRefusedException.Reason.OVERLOADED);
    assertThat(refusal(second).retryAfterSeconds()).isPositive();
    assertThat(p.queueBytes()).isEqualTo(80);
    assertThat(first).isNotDone();
    pendingWrites.get(0).complete(null); // the write becomes durable
    assertThat(first).isCompletedWithValueMatching(r -> !r.hasPartialSuccess());
    assertThat(p.queueBytes()).isZero();
    assertThat(p.handle(handler, request(), 80, "t", "test")).isNotDone();
  }

  @Test
  void handle_storageSlowerThanTheDeadline_isARetryableRefusalThatKeepsItsBudget() {
    IngestPipeline p = new IngestPipeline(100, RateLimits.unlimited(), null,
        Duration.ofMillis(50));
    CompletableFuture<ExportTraceServiceResponse> slow =
        p.handle(handler, request(), 80, "t", "test");
    // The write never completes until the test says so: only the deadline can answer.
    Throwable cause = Assertions
        .catchThrowableOfType(CompletionException.class, slow::join).getCause();
    IngestRefusedException refusal = (IngestRefusedException) cause;
    assertThat(refusal.reason()).isEqualTo(IngestRefusedException.Reason.OVERLOADED);
    assertThat(refusal.retryAfterSeconds()).isPositive();
    assertThat(refusal.getMessage()).contains("within").contains("may still be stored")
        .contains("log record may be stored twice");
    assertThat(p.queueBytes()).as("the write goes on and holds its bytes").isEqualTo(80);
    pendingWrites.get(0).complete(null);
    assertThat(p.queueBytes()).isZero();
  }

  @Test
  void handle_writeDoneBeforeTheDeadline_answersTheWrite() {
    IngestPipeline p = new IngestPipeline(100, RateLimits.unlimited(), null,
        Duration.ofMinutes(10));
    var f = p.handle(handler, request(), 80, "t", "test");
    pendingWrites.get(0).complete(null);
    assertThat(f.join().hasPartialSuccess()).isFalse();
  }

  @Test
  void new_nonPositiveWriteTimeout_isRefused() {
    Assertions.assertThatThrownBy(() -> new IngestPipeline(1,
        RateLimits.unlimited(), null, Duration.ZERO))
        .hasMessage("writeTimeout: PT0S (expected: > 0)");
  }

  @Test
  void handle_storageFailureIsARetryableRefusal() {
    TraceHandler failing = new TraceHandler(spans -> CompletableFuture.failedFuture(
        new RejectedExecutionException("disk full")), IngestLimits.defaults(),
        (tenant, spans) -> { });
    IngestPipeline p = new IngestPipeline(1 << 20, RateLimits.unlimited());
    var f = p.handle(failing, request(), 10, "t", "test");
    assertThat(refusal(f).reason()).isEqualTo(IngestRefusedException.Reason.OVERLOADED);
    assertThat(refusal(f).getMessage()).contains("nothing from this request was stored")
        .contains("disk full");
    assertThat(p.queueBytes()).isZero();
  }

  @Test
  void handle_throttlesPerTenantAndSignal() {
    IngestPipeline p = new IngestPipeline(1 << 20, RateLimits.create()
        .tenantLimit("a", Signal.TRACES, new RateLimits.Limit(1, 1)));
    var parsed = new LenientOtlpParser.Parsed<>(ExportTraceServiceRequest.getDefaultInstance(),
        2, "bad");
    assertThat(p.handle(handler, parsed, 10, "a", "test")).isCompleted();
    var throttled = p.handle(handler, parsed, 10, "a", "test");
    assertThat(refusal(throttled).reason()).isEqualTo(IngestRefusedException.Reason.THROTTLED);
    assertThat(p.handle(handler, parsed, 10, "b", "test")).isCompleted();
  }

  private static IngestRefusedException refusal(CompletableFuture<?> f) {
    try {
      f.join();
    } catch (CompletionException e) {
      return (IngestRefusedException) IngestFailures.unwrap(e);
    }
    throw new AssertionError("not refused");
  }
}
