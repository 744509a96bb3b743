package dev.sextant.query.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real embedded storage: 300 one-span traces, one a second, over five minutes. */
class TraceSamplerTest {
  static final long BASE = (System.currentTimeMillis() - 600_000) * 1_000_000L;
  static final long SEC = 1_000_000_000L;

  @TempDir
  static Path dir;
  static Storage storage;

  @BeforeAll
  static void fill() throws Exception {
    storage = EmbeddedStorage.open(dir.resolve("data"));
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      spans.add(Span.builder().traceId(String.format(Locale.ROOT, "%032x", i + 1))
          .spanId("b7ad6b7169203331").parentSpanId("").serviceName(i % 3 == 0 ? "a" : "b")
          .name("op").kind(SpanKind.SERVER).startTimeUnixNano(BASE + i * SEC)
          .endTimeUnixNano(BASE + i * SEC + 1000).attributes(Map.of())
          .resourceAttributes(Map.of()).build());
    }
    storage.spanConsumer().accept(spans).join();
    long deadline = System.nanoTime() + 20 * SEC;
    while (storage.spanSearch().search(TraceQuery.builder().limit(1000).build()).size() < 300) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("spans not indexed");
      }
      Thread.sleep(50);
    }
  }

  @AfterAll
  static void close() throws Exception {
    storage.close();
  }

  @Test
  void sample_picksAtMostMaxTracesTheSameOnesEachTime() {
    TraceSample s = TraceSampler.sample(storage.spanSearch(), b -> { }, BASE, BASE + 300 * SEC,
        50, id -> false);
    assertThat(s.traceIds()).hasSize(50).doesNotHaveDuplicates();
    assertThat(s.candidates()).isEqualTo(300);
    assertThat(s.candidatesCapped()).isFalse();
    assertThat(s.sampled()).isTrue();
    TraceSample again = TraceSampler.sample(storage.spanSearch(), b -> { }, BASE,
        BASE + 300 * SEC, 50, id -> false);
    assertThat(again.traceIds()).isEqualTo(s.traceIds());
    // Spread over the window, not the newest 50: some from each half.
    assertThat(s.traceIds()).anyMatch(id -> Long.parseLong(id, 16) <= 150)
        .anyMatch(id -> Long.parseLong(id, 16) > 150);
  }

  @Test
  void sample_keepsEveryTraceWhenFewerThanMaxAndHonoursCriteriaAndExclusions() {
    TraceSample s = TraceSampler.sample(storage.spanSearch(), b -> b.serviceName("a"), BASE,
        BASE + 300 * SEC, 200, id -> id.endsWith("1"));
    assertThat(s.sampled()).isFalse();
    assertThat(s.candidates()).isEqualTo(s.traceIds().size());
    assertThat(new HashSet<>(s.traceIds())).hasSize(s.candidates());
    // Traces 1, 4, 7, ... are service a (i % 3 == 0); those ending in 1 were excluded.
    assertThat(s.traceIds()).allMatch(id -> (Long.parseLong(id, 16) - 1) % 3 == 0)
        .noneMatch(id -> id.endsWith("1"));
    assertThat(s.candidates()).isEqualTo(100 - 7); // 1, 49, 97, 145, 193, 241, 289 (hex ...1)
  }

  @Test
  void sample_saysWhenASliceHeldMoreThanItsSearchReturned() {
    // 300 traces in one slice of a window ten times wider: the slice's search returns 100.
    TraceSample s = TraceSampler.sample(storage.spanSearch(), b -> { }, BASE,
        BASE + 3000 * SEC, 100, id -> false);
    assertThat(s.candidatesCapped()).isTrue();
    assertThat(s.sampled()).isTrue();
    assertThat(s.traceIds()).hasSize(100);
  }

  @Test
  void read_staysWithinTheSpanBudget() {
    TraceSample s = TraceSampler.sample(storage.spanSearch(), b -> { }, BASE, BASE + 300 * SEC,
        20, id -> false);
    TraceReads r = TraceReads.read(storage.traceReader(), s, 5);
    assertThat(r.traces()).hasSize(5);
    assertThat(r.truncated()).isTrue();
    assertThat(TraceReads.read(storage.traceReader(), s, 1000).truncated()).isFalse();
    assertThatThrownBy(() -> TraceSampler.sample(storage.spanSearch(), b -> { }, 0, 1, 0,
        id -> false)).hasMessage("maxTraces: 0 (expected: 1-1000)");
  }
}
