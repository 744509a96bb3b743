package dev.sextant.query.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.storage.Span;
import dev.sextant.storage.SpanKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldCountsTest {
  @Test
  void idOrTime_matchesIdAndTimeKeysOnly() {
    for (String key : new String[] {"id", "user.id", "request_id", "session-id", "traceId",
        "trace_id", "spanID", "messaging.message.id", "created_at", "timestamp", "log.time",
        "event.date", "startTime", "uuid", "order.guid", "Trace_Id", "time_unix_nano"}) {
      assertThat(FieldCounts.idOrTime(key)).as(key).isTrue();
    }
    for (String key : new String[] {"payment.provider", "http.route", "paid", "format",
        "cache.hit", "http.response.status_code", "runtime", "identity.provider"}) {
      assertThat(FieldCounts.idOrTime(key)).as(key).isFalse();
    }
  }

  @Test
  void rank_ordersByDifferenceOfProportionsAndIgnoresUniqueValues() {
    FieldCounts c = new FieldCounts(false);
    for (int i = 0; i < 10; i++) {
      c.add(0, List.of(span(Map.of("region", i < 9 ? "eu" : "us", "tier",
          i < 5 ? "gold" : "free", "order.number", "o" + i))));
    }
    for (int i = 0; i < 40; i++) {
      c.add(1, List.of(span(Map.of("region", i < 4 ? "eu" : "us", "tier",
          i < 16 ? "gold" : "free", "order.number", "p" + i))));
    }
    List<Difference> d = c.rank(10);
    assertThat(d.get(0).field()).isEqualTo(new Field("span", "region", "eu"));
    assertThat(d.get(0).selectionCount()).isEqualTo(9);
    assertThat(d.get(0).selectionProportion()).isEqualTo(0.9);
    assertThat(d.get(0).baselineCount()).isEqualTo(4);
    assertThat(d.get(0).baselineProportion()).isEqualTo(0.1);
    assertThat(d.get(0).score()).isCloseTo(0.8, within(1e-9));
    assertThat(d.get(1).field()).isEqualTo(new Field("span", "tier", "gold"));
    // Under-represented values and the unique order numbers are not differences.
    assertThat(d).hasSize(2);
    assertThat(c.ignored()).extracting(Comparison.IgnoredKey::key).containsExactly("order.number");
    assertThat(d.get(0).describe("failing traces"))
        .isEqualTo("90 % of failing traces have region=eu, 10 % of the others");
  }

  @Test
  void rank_needsThreeSelectedTracesUnlessFewerWereSelected() {
    FieldCounts c = new FieldCounts(false);
    for (int i = 0; i < 20; i++) {
      c.add(0, List.of(span(Map.of("zone", i < 2 ? "a" : "b"))));
    }
    c.add(1, List.of(span(Map.of("zone", "c"))));
    assertThat(c.rank(10)).extracting(x -> x.field().value()).containsExactly("b");

    FieldCounts few = new FieldCounts(false);
    few.add(0, List.of(span(Map.of("zone", "a"))));
    few.add(1, List.of(span(Map.of("zone", "c"))));
    assertThat(few.rank(10)).extracting(x -> x.field().value()).containsExactly("a");
  }

  @Test
  void rank_leavesOutHowSpansFailedWhenFailingTracesAreSelected() {
    for (boolean failuresSelected : new boolean[] {true, false}) {
      FieldCounts c = new FieldCounts(failuresSelected);
      for (int i = 0; i < 10; i++) {
        c.add(0, List.of(span(Map.of("payment.provider", i < 8 ? "acme" : "other",
            "error.type", "503", "http.response.status_code", 503L))));
      }
      for (int i = 0; i < 30; i++) {
        c.add(1, List.of(span(Map.of("payment.provider", i < 6 ? "acme" : "other",
            "http.response.status_code", 200L))));
      }
      List<String> keys = c.rank(10).stream().map(d -> d.field().key()).toList();
      if (failuresSelected) {
        assertThat(keys).containsExactly("payment.provider");
        assertThat(c.ignored()).extracting(Comparison.IgnoredKey::key)
            .containsExactly("error.type", "http.response.status_code");
      } else {
        assertThat(keys).containsExactly("error.type", "http.response.status_code",
            "payment.provider");
      }
    }
  }

  private static Span span(Map<String, Object> attrs) {
    return Span.builder().traceId("0af7651916cd43dd8448eb211c80319c").spanId("b7ad6b7169203331")
        .parentSpanId("").serviceName("svc").name("op").kind(SpanKind.SERVER)
        .startTimeUnixNano(1).endTimeUnixNano(2).attributes(attrs)
        .resourceAttributes(Map.of("service.name", "svc", "host.name", "h1")).build();
  }
}
