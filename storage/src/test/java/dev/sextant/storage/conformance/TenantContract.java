package dev.sextant.storage.conformance;

import static dev.sextant.storage.conformance.Fixtures.log;
import static dev.sextant.storage.conformance.Fixtures.root;
import static dev.sextant.storage.conformance.Fixtures.span;
import static dev.sextant.storage.conformance.Fixtures.spanId;
import static dev.sextant.storage.conformance.Fixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Span;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.TimeSeries;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tenants of one {@link dev.sextant.storage.Storage} (backends with {@link
 * StorageConformance#tenants()}): each sees only its own data, of every signal.
 */
public interface TenantContract extends StorageKit {

  private Tenants tenantsOrSkip() {
    Tenants t = tenants();
    assumeTrue(t != null, "the backend has no tenants");
    return t;
  }

  @Test
  default void tenants_traceOfOneTenantIsInvisibleToAnother() throws Exception {
    Tenants tenants = tenantsOrSkip();
    Span s = root("web", "GET /", 0, 1);
    try (AutoCloseable a = tenants.as("alpha")) {
      write(s);
    }

    try (AutoCloseable b = tenants.as("bravo")) {
      assertThat(storage().traceReader().getTrace(s.traceId())).isEmpty();
      assertThat(storage().traceReader().getTrace(s.traceId(), 10)).isEmpty();
      assertThat(search(TraceQuery.builder().build())).isEmpty();
    }
    try (AutoCloseable a = tenants.as("alpha")) {
      assertThat(storage().traceReader().getTrace(s.traceId())).hasSize(1);
      assertThat(search(TraceQuery.builder().build())).containsExactly(s.traceId());
    }
  }

  @Test
  default void tenants_sameTraceIdInTwoTenantsIsTwoTraces() throws Exception {
    Tenants tenants = tenantsOrSkip();
    String t = traceId();
    try (AutoCloseable a = tenants.as("alpha")) {
      write(span(t, spanId(), "", "web", "alpha root", 0, 1).build());
    }
    try (AutoCloseable b = tenants.as("bravo")) {
      write(span(t, spanId(), "", "web", "bravo root", 0, 1).build());
      assertThat(storage().traceReader().getTrace(t)).extracting(Span::name)
          .containsExactly("bravo root");
    }
    try (AutoCloseable a = tenants.as("alpha")) {
      assertThat(storage().traceReader().getTrace(t)).extracting(Span::name)
          .containsExactly("alpha root");
    }
  }

  @Test
  default void tenants_servicesAndSpanNamesArePerTenant() throws Exception {
    Tenants tenants = tenantsOrSkip();
    try (AutoCloseable a = tenants.as("alpha")) {
      write(root("alpha-web", "GET /a", 0, 1), root("shared", "alpha op", 0, 1));
    }
    try (AutoCloseable b = tenants.as("bravo")) {
      write(root("shared", "bravo op", 0, 1));
      assertThat(storage().spanSearch().services()).containsExactly("shared");
      assertThat(storage().spanSearch().spanNames("shared")).containsExactly("bravo op");
      assertThat(storage().spanSearch().spanNames("alpha-web")).isEmpty();
    }
  }

  @Test
  default void tenants_logsOfOneTenantAreInvisibleToAnother() throws Exception {
    Tenants tenants = tenantsOrSkip();
    try (AutoCloseable a = tenants.as("alpha")) {
      write(log("pay", "alpha secret", 0).correlationId("c-1").build());
    }
    try (AutoCloseable b = tenants.as("bravo")) {
      write(log("pay", "bravo line", 1).correlationId("c-1").build());
      assertThat(storage().logReader().search(LogQuery.builder().correlationId("c-1").build())
          .records()).extracting(LogRecord::body).containsExactly("bravo line");
    }
    try (AutoCloseable a = tenants.as("alpha")) {
      assertThat(storage().logReader().search(LogQuery.builder().text("secret").build())
          .records()).extracting(LogRecord::body).containsExactly("alpha secret");
    }
  }

  @Test
  default void tenants_metricsOfOneTenantAreInvisibleToAnother() throws Exception {
    Tenants tenants = tenantsOrSkip();
    long t = MetricContract.T;
    try (AutoCloseable a = tenants.as("alpha")) {
      write(TimeSeries.of(Labels.of("__name__", "up", "job", "alpha"), t, 1));
    }
    try (AutoCloseable b = tenants.as("bravo")) {
      write(TimeSeries.of(Labels.of("__name__", "up", "job", "bravo"), t, 1));
      assertThat(storage().metricReader().select(List.of(LabelMatcher.eq("__name__", "up")),
          t, t)).extracting(s -> s.labels().get("job")).containsExactly("bravo");
      assertThat(storage().metricReader().labelValues("job", List.of(), t, t))
          .containsExactly("bravo");
    }
    try (AutoCloseable a = tenants.as("alpha")) {
      assertThat(storage().metricReader().labelValues("job", List.of(), t, t))
          .containsExactly("alpha");
    }
  }
}
