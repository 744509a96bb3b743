package dev.sextant.storage.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LabelIndexTest {
  private final LabelIndex index = new LabelIndex();

  @BeforeEach
  void setUp() {
    index.add(1, Labels.of("__name__", "up", "job", "api", "env", "prod"));
    index.add(2, Labels.of("__name__", "up", "job", "db", "env", "dev"));
    index.add(3, Labels.of("__name__", "up", "job", "api"));
    index.add(4, Labels.of("__name__", "http_requests_total", "job", "api", "env", "prod"));
    index.add(5, Labels.of("__name__", "http_requests_total", "job", "web", "env", "prod\nx"));
  }

  @Test
  void select_eq() {
    assertThat(select(LabelMatcher.eq("__name__", "up"))).containsExactly(1, 2, 3);
    assertThat(select(LabelMatcher.eq("job", "nope"))).isEmpty();
    assertThat(select(LabelMatcher.eq("__name__", "up"), LabelMatcher.eq("job", "api")))
        .containsExactly(1, 3);
  }

  @Test
  void select_eqEmptyMeansLabelAbsent() {
    assertThat(select(LabelMatcher.eq("env", ""))).containsExactly(3);
    assertThat(select(LabelMatcher.eq("missing", ""))).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void select_neq() {
    assertThat(select(LabelMatcher.neq("env", "prod"))).containsExactly(2, 3, 5);
    assertThat(select(LabelMatcher.neq("env", ""))).containsExactly(1, 2, 4, 5);
    assertThat(select(LabelMatcher.eq("__name__", "up"), LabelMatcher.neq("job", "api")))
        .containsExactly(2);
  }

  @Test
  void select_regexIsFullyAnchored() {
    assertThat(select(LabelMatcher.re("job", "ap"))).isEmpty();
    assertThat(select(LabelMatcher.re("job", "ap.*"))).containsExactly(1, 3, 4);
    assertThat(select(LabelMatcher.re("job", "api|db"))).containsExactly(1, 2, 3, 4);
    assertThat(select(LabelMatcher.re("env", "prod.*"))).containsExactly(1, 4, 5);
  }

  @Test
  void select_regexMatchingEmptyKeepsSeriesWithoutLabel() {
    assertThat(select(LabelMatcher.re("env", "dev|"))).containsExactly(2, 3);
    assertThat(select(LabelMatcher.re("env", ".*"))).containsExactly(1, 2, 3, 4, 5);
    assertThat(select(LabelMatcher.re("env", ".+"))).containsExactly(1, 2, 4, 5);
  }

  @Test
  void select_notRegex() {
    assertThat(select(LabelMatcher.nre("env", "prod.*"))).containsExactly(2, 3);
    assertThat(select(LabelMatcher.nre("env", ".*"))).isEmpty();
    assertThat(select(LabelMatcher.nre("env", ""))).containsExactly(1, 2, 4, 5);
    assertThat(select(LabelMatcher.nre("missing", "x"))).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void select_noMatchersSelectsAll() {
    assertThat(select()).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void remove_dropsPostingsAndEmptyValues() {
    index.remove(2, Labels.of("__name__", "up", "job", "db", "env", "dev"));
    assertThat(select(LabelMatcher.eq("job", "db"))).isEmpty();
    assertThat(index.values("env")).containsExactlyInAnyOrder("prod", "prod\nx");
    assertThat(select()).containsExactly(1, 3, 4, 5);
  }

  @Test
  void select_literalAlternation_looksUpValuesLikeAScan() {
    // a|b is looked up; (?:a|b) is the same expression tested against each value.
    String[][] pairs = {{"api|db", "(?:api|db)"}, {"api|nope", "(?:api|nope)"},
        {"prod|", "(?:prod|)"}, {"nope", "(?:nope)"}, {"prod\nx|dev", "(?:prod\nx|dev)"}};
    for (String[] p : pairs) {
      for (String name : new String[] {"job", "env", "missing"}) {
        assertThat(select(LabelMatcher.re(name, p[0])))
            .as("%s=~%s", name, p[0]).containsExactly(select(LabelMatcher.re(name, p[1])));
        assertThat(select(LabelMatcher.nre(name, p[0])))
            .as("%s!~%s", name, p[0]).containsExactly(select(LabelMatcher.nre(name, p[1])));
      }
    }
    assertThat(select(LabelMatcher.re("job", "api|db"))).containsExactly(1, 2, 3, 4);
    assertThat(select(LabelMatcher.nre("job", "api|db"))).containsExactly(5);
  }

  @Test
  void valueSnapshot_cachedUntilValuesChange() {
    String[] first = index.valueSnapshot("job");
    assertThat(first).containsExactlyInAnyOrder("api", "db", "web");
    assertThat(index.valueSnapshot("job")).isSameAs(first);
    index.add(6, Labels.of("__name__", "up", "job", "api")); // no new value
    assertThat(index.valueSnapshot("job")).isSameAs(first);
    index.add(7, Labels.of("__name__", "up", "job", "cache"));
    assertThat(index.valueSnapshot("job")).containsExactlyInAnyOrder("api", "db", "web", "cache");
    index.remove(7, Labels.of("__name__", "up", "job", "cache"));
    assertThat(index.valueSnapshot("job")).containsExactlyInAnyOrder("api", "db", "web");
    assertThat(index.valueSnapshot("missing")).isEmpty();
  }

  @Test
  void chooseValues_runsCheckpointWhileTesting() {
    String[] values = new String[1000];
    for (int i = 0; i < values.length; i++) {
      values[i] = "v" + i;
    }
    int[] calls = new int[1];
    String[] chosen = LabelIndex.chooseValues(LabelMatcher.re("x", "v1.*"), values,
        () -> calls[0]++);
    assertThat(chosen).hasSize(111);
    assertThat(calls[0]).isEqualTo(1000 / LabelIndex.CHECKPOINT_EVERY);
  }

  @Test
  void canonical_sharesStrings() {
    Labels copy = index.canonical(Labels.of("__name__", new String("up"), "job", new String("db")));
    Labels again = index.canonical(Labels.of("__name__", new String("up"), "job", new String("db")));
    assertThat(copy.get("job")).isSameAs(again.get("job"));
  }

  private long[] select(LabelMatcher... matchers) {
    return index.select(List.of(matchers));
  }
}
