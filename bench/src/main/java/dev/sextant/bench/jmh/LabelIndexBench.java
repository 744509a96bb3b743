package dev.sextant.bench.jmh;

import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Label-index lookups over 10,000 series through the public reader ({@code labelValues}, which
 * resolves matchers in the index and checks each match's time range without reading chunks):
 * {@code =} picks 1,000 series (one job), {@code =~} picks 3,000 (three jobs) and a prefix regex
 * on instance 1,111. Scores are lookups per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LabelIndexBench {
  static final LabelMatcher NAME = LabelMatcher.eq(Labels.NAME, "x");

  @Param("10000")
  public int series;

  MetricFixture fixture;

  @Setup
  public void setUp() {
    fixture = new MetricFixture(series, 5);
  }

  @TearDown
  public void tearDown() {
    fixture.close();
  }

  private Set<String> instances(LabelMatcher m, int expected) {
    Set<String> v = fixture.store.labelValues("instance", List.of(NAME, m), Long.MIN_VALUE,
        Long.MAX_VALUE);
    if (v.size() != expected) {
      throw new IllegalStateException("matched: " + v.size() + " (expected: " + expected + ")");
    }
    return v;
  }

  @Benchmark
  public Set<String> equal() {
    return instances(LabelMatcher.eq("job", "job-3"), series / MetricFixture.JOBS);
  }

  @Benchmark
  public Set<String> regexAlternation() {
    return instances(LabelMatcher.re("job", "job-(1|3|5)"), 3 * series / MetricFixture.JOBS);
  }

  @Benchmark
  public Set<String> regexPrefix() {
    return instances(LabelMatcher.re("instance", "inst-1.*"), 1_111);
  }
}
