package dev.sextant.storage.internal.spans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.Attributes;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceQueryBuilder;
import dev.sextant.storage.TraceSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpanIndexerTest {
  private static final long MS = 1_000_000L;
  // Trace A: frontend → cart (error) → db; oldest, longest (300 ms).
  static final String A = "a0000000000000000000000000000001";
  // Trace B: frontend → payment; newest, 50 ms.
  static final String B = "b0000000000000000000000000000002";
  // Trace C: only a child span of cart (root not arrived); middle, 120 ms.
  static final String C = "c0000000000000000000000000000003";

  @TempDir
  Path dir;
  SpanIndexer indexer;

  @BeforeEach
  void setUp() {
    indexer = SpanIndexer.open(dir);
    indexer.index(List.of(
        span(A, "0000000000000a01", "", "frontend", "GET /cart", 1000 * MS, 300 * MS,
            StatusCode.OK, Attributes.of("http.method", "GET", "http.status_code", 200L)),
        span(A, "0000000000000a02", "0000000000000a01", "cart", "getCart", 1010 * MS, 200 * MS,
            StatusCode.ERROR, Attributes.of("user.id", "u1", "retry", true)),
        span(A, "0000000000000a03", "0000000000000a02", "db", "SELECT", 1020 * MS, 150 * MS,
            StatusCode.UNSET, Attributes.of("db.system", "postgresql"))));
    indexer.index(List.of(
        span(B, "0000000000000b01", "", "frontend", "POST /pay", 3000 * MS, 50 * MS,
            StatusCode.OK, Attributes.of("http.method", "POST", "http.status_code", 200L)),
        span(B, "0000000000000b02", "0000000000000b01", "payment", "charge", 3005 * MS, 40 * MS,
            StatusCode.OK, Attributes.of("user.id", "u1", "amount", 2.5))));
    indexer.index(List.of(
        span(C, "0000000000000c02", "0000000000000c01", "cart", "getCart", 2000 * MS, 120 * MS,
            StatusCode.ERROR, Attributes.of("user.id", "u2"))));
  }

  @AfterEach
  void tearDown() {
    indexer.close();
  }

  static Span span(String trace, String id, String parent, String service, String name,
      long start, long duration, StatusCode status, Map<String, Object> attrs) {
    return Span.builder().traceId(trace).spanId(id).parentSpanId(parent).serviceName(service)
        .name(name).kind(SpanKind.SERVER).startTimeUnixNano(start)
        .endTimeUnixNano(start + duration).statusCode(status).attributes(attrs)
        .resourceAttributes(Attributes.of("service.name", service, "host.name", "h-" + service))
        .build();
  }

  private List<String> ids(TraceQueryBuilder q) {
    return indexer.search(q.build()).stream().map(TraceSummary::traceId).toList();
  }

  @Test
  void search_everythingNewestFirst() {
    assertThat(ids(TraceQuery.builder())).containsExactly(B, C, A);
  }

  @Test
  void search_byDurationLongestFirst() {
    assertThat(ids(TraceQuery.builder().order(TraceQuery.Order.DURATION_DESC)))
        .containsExactly(A, C, B);
  }

  @Test
  void search_byEachCriterion() {
    assertThat(ids(TraceQuery.builder().serviceName("cart"))).containsExactly(C, A);
    assertThat(ids(TraceQuery.builder().serviceName("payment"))).containsExactly(B);
    assertThat(ids(TraceQuery.builder().serviceName("nope"))).isEmpty();
    assertThat(ids(TraceQuery.builder().spanName("SELECT"))).containsExactly(A);
    assertThat(ids(TraceQuery.builder().attribute("user.id", "u1"))).containsExactly(B, A);
    assertThat(ids(TraceQuery.builder().attribute("http.status_code", "200")))
        .containsExactly(B, A);
    assertThat(ids(TraceQuery.builder().attribute("amount", "2.5"))).containsExactly(B);
    assertThat(ids(TraceQuery.builder().attribute("retry", "true"))).containsExactly(A);
    assertThat(ids(TraceQuery.builder().attribute("host.name", "h-db"))).containsExactly(A);
    assertThat(ids(TraceQuery.builder().minDuration(Duration.ofMillis(150)))).containsExactly(A);
    assertThat(ids(TraceQuery.builder().minDuration(Duration.ofMillis(120)))).containsExactly(C, A);
    assertThat(ids(TraceQuery.builder().maxDuration(Duration.ofMillis(45)))).containsExactly(B);
    assertThat(ids(TraceQuery.builder().errorsOnly(true))).containsExactly(C, A);
    assertThat(ids(TraceQuery.builder().timeRange(1500 * MS, 3000 * MS))).containsExactly(C);
    assertThat(ids(TraceQuery.builder().timeRange(1500 * MS, 3000 * MS + 1))).containsExactly(B, C);
  }

  @Test
  void search_combinedCriteriaMustHoldOnOneSpan() {
    assertThat(ids(TraceQuery.builder().serviceName("cart").attribute("user.id", "u1")))
        .containsExactly(A);
    assertThat(ids(TraceQuery.builder().serviceName("cart").errorsOnly(true)
        .minDuration(Duration.ofMillis(150)))).containsExactly(A);
    assertThat(ids(TraceQuery.builder().attribute("http.method", "GET")
        .attribute("user.id", "u1"))).isEmpty();
    assertThat(ids(TraceQuery.builder().serviceName("frontend").spanName("POST /pay")
        .attribute("http.method", "POST").minDuration(Duration.ofMillis(10))
        .maxDuration(Duration.ofMillis(60)).timeRange(0, 4000 * MS))).containsExactly(B);
  }

  @Test
  void search_limitKeepsTheFirstInOrder() {
    assertThat(ids(TraceQuery.builder().limit(2))).containsExactly(B, C);
    assertThat(ids(TraceQuery.builder().limit(1).order(TraceQuery.Order.DURATION_DESC)))
        .containsExactly(A);
  }

  @Test
  void search_summariesCoverTheWholeTrace() {
    TraceSummary a = indexer.search(TraceQuery.builder().spanName("SELECT").build()).get(0);
    assertThat(a).isEqualTo(new TraceSummary(A, "frontend", "GET /cart", 1000 * MS, 300 * MS, 3, 1,
        List.of("cart", "db", "frontend")));
    TraceSummary c = indexer.search(TraceQuery.builder().attribute("user.id", "u2").build()).get(0);
    assertThat(c).isEqualTo(new TraceSummary(C, "cart", "getCart", 2000 * MS, 120 * MS, 1, 1,
        List.of("cart")));
  }

  @Test
  void index_resentSpanCountsOnce() {
    Span charge = span(B, "0000000000000b02", "0000000000000b01", "payment", "charge",
        3005 * MS, 40 * MS, StatusCode.OK, Attributes.of("user.id", "u1", "amount", 2.5));
    indexer.index(List.of(charge));
    indexer.commit();
    indexer.index(List.of(charge));
    List<TraceSummary> found = indexer.search(TraceQuery.builder().serviceName("payment").build());
    assertThat(found).hasSize(1);
    assertThat(found.get(0).spanCount()).isEqualTo(2);
  }

  @Test
  void deleteBefore_dropsOlderSpans() {
    indexer.deleteBefore(1010 * MS);
    assertThat(ids(TraceQuery.builder().serviceName("frontend"))).containsExactly(B);
    assertThat(indexer.search(TraceQuery.builder().spanName("SELECT").build()).get(0).spanCount())
        .isEqualTo(2);
  }

  @Test
  void index_invalidIdsRejected() {
    assertThatThrownBy(() -> indexer.index(List.of(span("xyz", "0000000000000b02", "", "s", "n", 1,
        1, StatusCode.OK, Attributes.of())))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid IDs");
  }

  @Test
  void servicesAndSpanNames() {
    assertThat(indexer.services()).containsExactly("cart", "db", "frontend", "payment");
    assertThat(indexer.spanNames("frontend")).containsExactly("GET /cart", "POST /pay");
    assertThat(indexer.spanNames("cart")).containsExactly("getCart");
    assertThat(indexer.spanNames("car")).isEmpty();
    assertThat(indexer.spanNames("nope")).isEmpty();
  }

  @Test
  void reopen_keepsCommittedSpansAndReportsRecoveryPoint() {
    assertThat(indexer.recoveryPointUnixNano()).isZero();
    long before = System.currentTimeMillis() * MS;
    indexer.close();
    indexer = SpanIndexer.open(dir);
    assertThat(ids(TraceQuery.builder())).containsExactly(B, C, A);
    assertThat(indexer.recoveryPointUnixNano())
        .isBetween(before - SpanIndexer.RECOVERY_MARGIN_NANOS - 1000 * MS,
            System.currentTimeMillis() * MS - SpanIndexer.RECOVERY_MARGIN_NANOS);
  }

  @Test
  void commit_tellsTheListenerTheDurableWatermark() {
    indexer.close();
    AtomicLong seen = new AtomicLong();
    indexer = SpanIndexer.open(dir, seen::set);
    indexer.index(List.of(span(B, "0000000000000b03", "0000000000000b01", "payment", "refund",
        3010 * MS, 5 * MS, StatusCode.OK, Attributes.of())));
    long before = System.currentTimeMillis() * MS;
    long w = indexer.commit();
    assertThat(seen.get()).isEqualTo(w).isGreaterThanOrEqualTo(before);
  }

  @Test
  void query_invalidLimitNamesTheField() {
    assertThatThrownBy(() -> TraceQuery.builder().limit(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("limit: 0 (expected: 1-1000)");
    assertThatThrownBy(() -> TraceQuery.builder().minDuration(Duration.ofSeconds(2))
        .maxDuration(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDurationNanos");
  }
}
