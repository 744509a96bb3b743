package dev.sextant.agent;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collection;
import java.util.List;

/**
 * Carries the correlation ID in an {@code X-Correlation-ID} header and in baggage.
 *
 * <p>On extract (an incoming request) the header wins; else an ID already in the extracted baggage
 * is kept; else a random UUID is generated, because a request without one has reached the edge.
 * Invalid header values (empty, over 128 characters, spaces or control characters) are ignored.
 * On inject the ID found in the context's baggage is written as the header; the W3C baggage
 * propagator, which runs before this one, already writes the baggage entry.
 */
final class CorrelationIdPropagator implements TextMapPropagator {
  static final CorrelationIdPropagator INSTANCE = new CorrelationIdPropagator();
  private static final String HEADER_LOWER = "x-correlation-id";

  private CorrelationIdPropagator() {}

  @Override
  public Collection<String> fields() {
    return List.of(CorrelationId.HEADER);
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    if (context == null || setter == null) {
      return;
    }
    String id = CorrelationId.fromContext(context);
    if (id != null) {
      setter.set(carrier, CorrelationId.HEADER, id);
    }
  }

  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    if (context == null) {
      context = Context.root();
    }
    String header = null;
    if (getter != null) {
      header = getter.get(carrier, CorrelationId.HEADER);
      if (header == null) {
        // Not every getter matches names case-insensitively.
        header = getter.get(carrier, HEADER_LOWER);
      }
    }
    if (header != null) {
      header = header.trim();
    }
    Baggage baggage = Baggage.fromContext(context);
    String id;
    if (CorrelationId.isValid(header)) {
      id = header;
    } else if (baggage.getEntryValue(CorrelationId.KEY) != null) {
      return context;
    } else {
      id = CorrelationId.random();
    }
    return context.with(baggage.toBuilder().put(CorrelationId.KEY, id).build());
  }

  @Override
  public String toString() {
    return "CorrelationIdPropagator";
  }
}
