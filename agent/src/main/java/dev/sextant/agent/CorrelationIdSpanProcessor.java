package dev.sextant.agent;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/** Copies the correlation ID from the parent context's baggage onto every span as an attribute. */
final class CorrelationIdSpanProcessor implements SpanProcessor {
  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    String id = CorrelationId.fromContext(parentContext);
    if (id != null) {
      span.setAttribute(CorrelationId.ATTRIBUTE, id);
    }
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  @Override
  public void onEnd(ReadableSpan span) {}

  @Override
  public boolean isEndRequired() {
    return false;
  }
}
