package dev.sextant.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.collector.limits.RateLimits;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpaceGuardTest {
  @TempDir
  Path dir;

  private final AtomicInteger writes = new AtomicInteger();
  private final TraceHandler handler = new TraceHandler(spans -> {
    writes.incrementAndGet();
    return CompletableFuture.completedFuture(null);
  }, IngestLimits.defaults(), (tenant, spans) -> { });

  private static LenientOtlpParser.Parsed<ExportTraceServiceRequest> oneSpan() {
    byte[] traceId = new byte[16];
    byte[] spanId = new byte[8];
    Arrays.fill(traceId, (byte) 1);
    Arrays.fill(spanId, (byte) 2);
    var span = Span.newBuilder()
        .setTraceId(ByteString.copyFrom(traceId))
        .setSpanId(ByteString.copyFrom(spanId))
        .setName("op").setStartTimeUnixNano(1).setEndTimeUnixNano(2);
    return new LenientOtlpParser.Parsed<>(ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .addScopeSpans(ScopeSpans.newBuilder()
                .addSpans(span))).build(), 0, null);
  }

  @Test
  void handle_belowMinFreeDisk_refusesRetryablyBeforeWriting() {
    // No real disk has this much room: the guard must refuse.
    IngestPipeline p = new IngestPipeline(1 << 20, RateLimits.unlimited(),
        new DiskSpaceGuard(dir.toFile(), Long.MAX_VALUE));
    var f = p.handle(handler, oneSpan(), 10, "t", "test");
    IngestRefusedException e = catchThrowableOfType(CompletionException.class, f::join)
        .getCause() instanceof IngestRefusedException r ? r : null;
    assertThat(e).isNotNull();
    assertThat(e.reason()).isEqualTo(IngestRefusedException.Reason.OVERLOADED);
    assertThat(e.retryAfterSeconds()).isEqualTo(IngestPipeline.DISK_FULL_RETRY_SECONDS);
    assertThat(e.getMessage()).startsWith("disk full: ").contains(dir.toString())
        .contains("nothing from this request was stored");
    assertThat(writes).hasValue(0);
    assertThat(p.queueBytes()).isZero();
  }

  @Test
  void handle_withRoomOrCheckOff_writes() {
    IngestPipeline room = new IngestPipeline(1 << 20, RateLimits.unlimited(),
        new DiskSpaceGuard(dir.toFile(), 1));
    IngestPipeline off = new IngestPipeline(1 << 20, RateLimits.unlimited(),
        new DiskSpaceGuard(dir.toFile(), 0));
    assertThat(room.handle(handler, oneSpan(), 10, "t", "test")).isCompleted();
    assertThat(off.handle(handler, oneSpan(), 10, "t", "test")).isCompleted();
    assertThat(writes).hasValue(2);
  }
}
