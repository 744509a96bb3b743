package dev.sextant.storage.conformance;

import static dev.sextant.storage.conformance.Fixtures.MS;
import static dev.sextant.storage.conformance.Fixtures.NOW;
import static dev.sextant.storage.conformance.Fixtures.span;
import static dev.sextant.storage.conformance.Fixtures.spanId;
import static dev.sextant.storage.conformance.Fixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.Span;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TraceSummary}: a found trace summarised over all of its spans, not only those that
 * matched.
 */
public interface TraceSummaryContract extends StorageKit {

  private TraceSummary only(TraceQuery q) {
    List<TraceSummary> found = storage().spanSearch().search(q);
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  @Test
  default void summary_coversEverySpanOfTheTraceNotOnlyTheMatch() {
    String t = traceId();
    String r = spanId();
    String c = spanId();
    write(span(t, r, "", "web", "GET /", 10 * MS, 100 * MS).build(),
        span(t, c, r, "payments", "charge", 20 * MS, 30 * MS).statusCode(StatusCode.ERROR)
            .build(),
        span(t, spanId(), c, "db", "insert", 25 * MS, 150 * MS).statusCode(StatusCode.ERROR)
            .build(),
        span(t, spanId(), r, "cache", "get", 5 * MS, MS).build());

    TraceSummary s = only(TraceQuery.builder().serviceName("db").build());
    assertThat(s.traceId()).isEqualTo(t);
    assertThat(s.rootServiceName()).isEqualTo("web");
    assertThat(s.rootSpanName()).isEqualTo("GET /");
    assertThat(s.startUnixNano()).isEqualTo(NOW + 5 * MS);
    assertThat(s.durationNanos()).isEqualTo(175 * MS - 5 * MS);
    assertThat(s.spanCount()).isEqualTo(4);
    assertThat(s.errorCount()).isEqualTo(2);
    assertThat(s.services()).containsExactly("cache", "db", "payments", "web");
  }

  @Test
  default void summary_withoutARootTheEarliestSpanStandsIn() {
    String t = traceId();
    String missingRoot = spanId();
    write(span(t, spanId(), missingRoot, "db", "later", 20 * MS, MS).build(),
        span(t, spanId(), missingRoot, "cache", "earliest", 10 * MS, MS).build());

    TraceSummary s = only(TraceQuery.builder().build());
    assertThat(s.rootServiceName()).isEqualTo("cache");
    assertThat(s.rootSpanName()).isEqualTo("earliest");
    assertThat(s.startUnixNano()).isEqualTo(NOW + 10 * MS);
  }

  @Test
  default void summary_ofSeveralRootsIsTheEarliestRoot() {
    String t = traceId();
    write(span(t, spanId(), "", "late", "second root", 20 * MS, MS).build(),
        span(t, spanId(), "", "early", "first root", 10 * MS, MS).build(),
        span(t, spanId(), spanId(), "child", "earliest child", 0, MS).build());

    TraceSummary s = only(TraceQuery.builder().build());
    assertThat(s.rootServiceName()).isEqualTo("early");
    assertThat(s.rootSpanName()).isEqualTo("first root");
    assertThat(s.startUnixNano()).isEqualTo(NOW);
  }

  @Test
  default void summary_countsASpanSentTwiceOnce() {
    String t = traceId();
    Span root = span(t, spanId(), "", "web", "root", 0, 10).statusCode(StatusCode.ERROR).build();
    write(root);
    write(root, span(t, spanId(), root.spanId(), "web", "child", 1, 1).build());

    TraceSummary s = only(TraceQuery.builder().build());
    assertThat(s.spanCount()).isEqualTo(2);
    assertThat(s.errorCount()).isEqualTo(1);
  }

  @Test
  default void summary_includesSpansWrittenInLaterCalls() {
    String t = traceId();
    String r = spanId();
    write(span(t, r, "", "web", "root", 0, 10 * MS).build());
    write(span(t, spanId(), r, "db", "query", 2 * MS, 30 * MS).build());

    TraceSummary s = only(TraceQuery.builder().serviceName("web").build());
    assertThat(s.spanCount()).isEqualTo(2);
    assertThat(s.durationNanos()).isEqualTo(32 * MS);
    assertThat(s.services()).containsExactly("db", "web");
  }
}
