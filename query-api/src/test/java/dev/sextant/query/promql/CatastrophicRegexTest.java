package dev.sextant.query.promql;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricStore;
import dev.sextant.storage.metrics.TimeSeries;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: catastrophic regexes (exponential for a backtracking engine) over 100k series with
 * long label values answer within the query timeout, while a writer keeps ingesting -- creating
 * series, which takes the series registry's write lock -- during the query.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CatastrophicRegexTest {
  private static final int SERIES = 100_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  /**
   * How late past the timeout an answer may come on a loaded 2-core box: a deadline check
   * runs every 64 values (each one a 200-character RE2 match: microseconds), plus scheduling.
   * java.util.regex would need longer than the age of the universe for one value.
   */
  private static final Duration SLACK = Duration.ofSeconds(20);

  @TempDir
  static Path dir;
  private static MetricStore store;

  @BeforeAll
  static void load() {
    store = EmbeddedMetricStore.builder(dir.resolve("db")).syncWrites(false).build();
    // Values "aaa...a-<i>": 200 a's then a unique suffix, the worst case for (a|aa)*b.
    String a = "a".repeat(200);
    List<TimeSeries> batch = new ArrayList<>();
    for (int i = 0; i < SERIES; i++) {
      batch.add(new TimeSeries(Labels.of("__name__", "m", "v", a + "-" + i, "x", "x".repeat(100)
          + i), new long[] {1_000}, new double[] {i}));
      if (batch.size() == 10_000) {
        store.write(batch).join();
        batch = new ArrayList<>();
      }
    }
  }

  @AfterAll
  static void close() {
    store.close();
  }

  @Test
  void query_catastrophicRegexes_answerWithinTimeoutWhileIngestContinues() throws Exception {
    PromqlEngine engine = PromqlEngine.of(store, EngineOptions.defaults().withTimeout(TIMEOUT));
    String[] queries = {
        "count(m{v=~\"(a|aa)*b\"})",
        "count(m{x=~\"(x+x+)+y\"})",
        "count(m{v!~\"(a*)*b\"}) + count(m{v=~\"(.*a){20}b\"}) + count(m{x=~\"(x|xx)+y\"})",
    };
    for (String q : queries) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong queryStart = new AtomicLong(Long.MAX_VALUE);
      AtomicLong queryEnd = new AtomicLong(Long.MAX_VALUE);
      AtomicLong writesDuringQuery = new AtomicLong();
      AtomicReference<Throwable> writerError = new AtomicReference<>();
      Thread writer = new Thread(() -> {
        long n = 0;
        try {
          while (!stop.get()) {
            // A new series each time (the registry's write lock) plus a sample for an old one.
            store.write(List.of(
                new TimeSeries(Labels.of("__name__", "w", "q", q, "n", Long.toString(n)),
                    new long[] {2_000}, new double[] {n}),
                new TimeSeries(Labels.of("__name__", "w", "q", q, "n", "0"),
                    new long[] {3_000 + n}, new double[] {n}))).join();
            n++;
            long done = System.nanoTime();
            if (done > queryStart.get() && done < queryEnd.get()) {
              writesDuringQuery.incrementAndGet();
            }
          }
        } catch (Throwable e) {
          writerError.set(e);
        }
      }, "writer");
      writer.start();
      long start = System.nanoTime();
      queryStart.set(start);
      Object answer;
      try {
        answer = engine.instantQuery(q, 60_000).vector();
      } catch (QueryException e) {
        assertThat(e.kind()).as(q).isEqualTo(QueryException.Kind.TIMEOUT);
        answer = e;
      }
      long elapsed = System.nanoTime() - start;
      queryEnd.set(System.nanoTime());
      stop.set(true);
      writer.join();
      assertThat(writerError.get()).isNull();
      System.out.printf("catastrophic regex: %s answered in %d ms (%s); %d writes meanwhile%n",
          q, elapsed / 1_000_000, answer instanceof QueryException ? "timeout" : "result",
          writesDuringQuery.get());
      assertThat(Duration.ofNanos(elapsed)).as("%s answered %s", q, answer)
          .isLessThan(TIMEOUT.plus(SLACK));
      assertThat(writesDuringQuery.get()).as("writes acknowledged during %s", q).isPositive();
    }
  }

  @Test
  void query_catastrophicRegex_correctAnswerWhenGivenTime() {
    PromqlEngine engine = PromqlEngine.of(store, EngineOptions.defaults());
    // Nothing ends in b; every value of v starts with a's.
    assertThat(engine.instantQuery("count(m{v=~\"(a|aa)*b\"})", 60_000).vector()).isEmpty();
    // -1, -10..-19, ..., -10000..-19999
    assertThat(engine.instantQuery("count(m{v=~\"(a|aa)*-1.*\"})", 60_000).vector())
        .singleElement().extracting(QueryResult.Sample::value).isEqualTo(11111.0);
  }
}
