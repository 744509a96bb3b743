package dev.sextant.alert.eval;

import dev.sextant.alert.query.Sample;
import dev.sextant.storage.embedded.EmbeddedMetricStore;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.alert.internal.notify.AlertEvent;
import dev.sextant.alert.rules.ExprChecker;
import dev.sextant.alert.rules.RuleFiles;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricStore;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import dev.sextant.storage.metrics.SeriesLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule results written into a real metric store that is at its tenant's series limit: the rule
 * whose series are refused reports the reason (Prometheus: the rule's health turns bad), the
 * others keep being recorded, alerts still go out, and nothing throws out of the engine.
 */
class RuleManagerSeriesLimitTest {
  @TempDir
  Path dir;

  @Test
  void evaluate_atTheSeriesLimitReportsTheRefusalOnTheRule() {
    RuleManagerTest.MutableClock clock =
        new RuleManagerTest.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    List<AlertEvent> sent = new ArrayList<>();
    try (MetricStore store = EmbeddedMetricStore.builder(dir)
        .limits(new SeriesLimits("t", 4, 0, 0, 0, 0)).build()) {
      RuleManager m = RuleManager.builder((expr, t) -> switch (expr) {
        case "small" -> List.of(Sample.of(1, "job", "a"));
        case "wide" -> wide();
        default -> List.of(Sample.of(1, "job", "a"));
      }).clock(clock).notifier(sent::addAll).writer(store).build();
      m.update(RuleFiles.parse("r.yml", """
          groups:
            - name: g
              interval: 1m
              rules:
                - record: small:rec
                  expr: small
                - record: wide:rec
                  expr: wide
                - alert: Always
                  expr: always
          """, ExprChecker.basic()).groups());

      m.tick();
      clock.advance(Duration.ofMinutes(1));
      m.tick();

      List<Rule> rules = m.groups().get(0).rules();
      assertThat(rules.get(0).lastError()).isNull();
      assertThat(rules.get(1).lastError()).isEqualTo("storing the result: per-tenant series"
          + " limit of 4 reached for tenant \"t\" (max_global_series_per_user)");
      assertThat(sent).isNotEmpty(); // the alert fired although ALERTS could not be stored
      assertThat(store.seriesCount()).isEqualTo(4);
      List<Series> small = store.select(List.of(LabelMatcher.eq(Labels.NAME, "small:rec")), 0,
          Long.MAX_VALUE);
      assertThat(small).singleElement().satisfies(s -> {
        SampleIterator it = s.samples();
        int n = 0;
        while (it.next()) {
          n++;
        }
        assertThat(n).isEqualTo(2); // recorded at both evaluations
      });
    }
  }

  private static List<Sample> wide() {
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      out.add(Sample.of(i, "i", Integer.toString(i)));
    }
    return out;
  }
}
