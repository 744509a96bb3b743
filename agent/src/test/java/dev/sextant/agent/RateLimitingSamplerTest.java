package dev.sextant.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitingSamplerTest {
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Test
  void tryAcquire_allowsBurstThenRefillsAtRate() {
    RateLimitingSampler sampler = new RateLimitingSampler(2, now::get);
    assertThat(sampler.tryAcquire()).isTrue();
    assertThat(sampler.tryAcquire()).isTrue();
    assertThat(sampler.tryAcquire()).isFalse();
    now.addAndGet(499_000_000L);
    assertThat(sampler.tryAcquire()).isFalse();
    now.addAndGet(1_000_000L);
    assertThat(sampler.tryAcquire()).isTrue();
    now.addAndGet(60_000_000_000L); // a long idle time refills only up to the capacity
    int passed = 0;
    for (int i = 0; i < 10; i++) {
      passed += sampler.tryAcquire() ? 1 : 0;
    }
    assertThat(passed).isEqualTo(2);
  }

  @Test
  void tryAcquire_fractionalRateHasCapacityOne() {
    RateLimitingSampler sampler = new RateLimitingSampler(0.5, now::get);
    assertThat(sampler.tryAcquire()).isTrue();
    assertThat(sampler.tryAcquire()).isFalse();
    now.addAndGet(2_000_000_000L);
    assertThat(sampler.tryAcquire()).isTrue();
  }

  @Test
  void parentBased_childrenFollowParentNotBucket() {
    RateLimitingSampler limiter = new RateLimitingSampler(1, now::get);
    Sampler sampler = Sampler.parentBased(limiter);
    assertThat(decide(sampler, Context.root())).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decide(sampler, Context.root())).isEqualTo(SamplingDecision.DROP);
    // The bucket is empty, yet a sampled remote parent's children are kept, a dropped one's not.
    assertThat(decide(sampler, parent(TraceFlags.getSampled())))
        .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decide(sampler, parent(TraceFlags.getDefault()))).isEqualTo(SamplingDecision.DROP);
  }

  @Test
  void constructor_rejectsNonPositiveRate() {
    assertThatThrownBy(() -> new RateLimitingSampler(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tracesPerSecond: 0.0 (expected: > 0 and finite)");
    assertThatThrownBy(() -> new RateLimitingSampler(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Context parent(TraceFlags flags) {
    SpanContext remote = SpanContext.createFromRemoteParent(TRACE_ID, "b7ad6b7169203331", flags,
        TraceState.getDefault());
    return Context.root().with(Span.wrap(remote));
  }

  private static SamplingDecision decide(Sampler sampler, Context parent) {
    return sampler.shouldSample(parent, TRACE_ID, "GET /", SpanKind.SERVER, Attributes.empty(),
        List.of()).getDecision();
  }
}
