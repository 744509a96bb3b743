package dev.sextant.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CorrelationIdPropagatorTest {
  private static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        @SuppressWarnings("deprecation")
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };
  private static final TextMapPropagator WITH_BAGGAGE = TextMapPropagator.composite(
      W3CBaggagePropagator.getInstance(), CorrelationIdPropagator.INSTANCE);

  @Test
  void extract_headerBecomesBaggage() {
    Context ctx = CorrelationIdPropagator.INSTANCE.extract(Context.root(),
        Map.of("X-Correlation-ID", "order-42"), GETTER);
    assertThat(CorrelationId.fromContext(ctx)).isEqualTo("order-42");
  }

  @Test
  void extract_lowerCaseHeaderIsFound() {
    Context ctx = CorrelationIdPropagator.INSTANCE.extract(Context.root(),
        Map.of("x-correlation-id", " order-43 "), GETTER);
    assertThat(CorrelationId.fromContext(ctx)).isEqualTo("order-43");
  }

  @Test
  void extract_absentHeaderGeneratesUuid() {
    Context ctx = CorrelationIdPropagator.INSTANCE.extract(Context.root(), Map.of(), GETTER);
    assertThat(CorrelationId.fromContext(ctx))
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  }

  @Test
  void random_isVersion4UuidAndDiffers() {
    String a = CorrelationId.random();
    assertThat(a).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(UUID.fromString(a).version()).isEqualTo(4);
    assertThat(CorrelationId.random()).isNotEqualTo(a);
  }

  @Test
  void extract_invalidHeaderIsReplaced() {
    for (String bad : new String[] {"", "has space", "x".repeat(129), "tab\there"}) {
      Context ctx = CorrelationIdPropagator.INSTANCE.extract(Context.root(),
          Map.of("X-Correlation-ID", bad), GETTER);
      assertThat(CorrelationId.fromContext(ctx)).isNotEqualTo(bad).hasSize(36);
    }
  }

  @Test
  void extract_keepsIdThatArrivedInBaggageOnly() {
    Context ctx = WITH_BAGGAGE.extract(Context.root(),
        Map.of("baggage", "correlation_id=from-baggage,other=1"), GETTER);
    assertThat(CorrelationId.fromContext(ctx)).isEqualTo("from-baggage");
    assertThat(Baggage.fromContext(ctx).getEntryValue("other")).isEqualTo("1");
  }

  @Test
  void extract_headerWinsOverBaggage() {
    Context ctx = WITH_BAGGAGE.extract(Context.root(),
        Map.of("baggage", "correlation_id=old", "X-Correlation-ID", "new"), GETTER);
    assertThat(CorrelationId.fromContext(ctx)).isEqualTo("new");
  }

  @Test
  void inject_writesHeaderAndBaggage() {
    Context ctx = Context.root().with(Baggage.builder().put("correlation_id", "c-1").build());
    Map<String, String> headers = new HashMap<>();
    WITH_BAGGAGE.inject(ctx, headers, Map::put);
    assertThat(headers).containsEntry("X-Correlation-ID", "c-1")
        .containsEntry("baggage", "correlation_id=c-1");
  }

  @Test
  void inject_withoutIdWritesNothing() {
    Map<String, String> headers = new HashMap<>();
    CorrelationIdPropagator.INSTANCE.inject(Context.root(), headers, Map::put);
    assertThat(headers).isEmpty();
  }
}
