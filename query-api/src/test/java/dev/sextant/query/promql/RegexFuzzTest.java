package dev.sextant.query.promql;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sextant.storage.metrics.InvalidRegexException;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.UserRegex;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Any pattern compiled as a label matcher either fails with {@link InvalidRegexException} (the
 * documented invalid-regex error, a 400) or matches any values quickly, with no other exception
 * (no stack overflow, no out-of-memory compile); its fast paths (literals, {@code a|b},
 * {@code p.*}) agree with RE2 itself; label_replace's and reReplaceAll's expansion never throws.
 *
 * <p>Input: the pattern, then values, separated by NUL bytes. {@code mvn verify} replays the
 * seeds in {@code RegexFuzzTestInputs/}; to fuzz:
 * {@code JAZZER_FUZZ=1 mvn -pl query-api test -Dtest=RegexFuzzTest -Djazzer.max_duration=10m
 * '-Djazzer.instrument=dev.sextant.**,com.google.re2j.**'} (so coverage guides it through
 * storage's UserRegex and RE2J, not only this package).
 */
class RegexFuzzTest {
  /**
   * Generous: uninstrumented, a seed takes well under a second; with
   * {@code -Djazzer.instrument=dev.sextant.**,com.google.re2j.**} the matcher runs several
   * times slower.
   */
  private static final Duration QUICKLY = Duration.ofSeconds(60);

  @FuzzTest(maxDuration = "5m")
  void matchers_anyPatternAndValues_matchOrInvalidRegex(byte[] data) {
    List<String> parts = Arrays.asList(new String(data, StandardCharsets.UTF_8).split("\0", -1));
    String pattern = parts.get(0);
    List<String> values = parts.subList(1, parts.size()).stream()
        .map(v -> v.length() > 4096 ? v.substring(0, 4096) : v).toList();
    long start = System.nanoTime();
    LabelMatcher re;
    LabelMatcher nre;
    try {
      re = LabelMatcher.re("l", pattern);
      nre = LabelMatcher.nre("l", pattern);
    } catch (InvalidRegexException expected) {
      assertThat(expected).hasMessageStartingWith("invalid regular expression ");
      return;
    }
    UserRegex anchored = UserRegex.anchored(pattern);
    UserRegex general = generalPath(pattern);
    UserRegex unanchored = UserRegex.unanchored(pattern);
    for (String v : values) {
      boolean m = re.matches(v);
      assertThat(nre.matches(v)).isEqualTo(!m);
      if (general != null) {
        assertThat(m).as("fast path of %s on %s", pattern, v).isEqualTo(general.matches(v));
      }
      String expanded = anchored.expandIfMatches(v, "$1-${2}-$name$$");
      assertThat(expanded == null).isEqualTo(!m);
      unanchored.matches(v);
      assertThat(unanchored.replaceAll(v, "<$0>")).isNotNull();
    }
    assertThat(re.matchesEmpty()).isEqualTo(re.matches(""));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as(pattern).isLessThan(QUICKLY);
  }

  /** The same expression with every fast path bypassed; null when wrapping it breaks a limit. */
  private static UserRegex generalPath(String pattern) {
    try {
      return UserRegex.anchored("(?:" + pattern + ")");
    } catch (InvalidRegexException e) {
      return null;
    }
  }
}
