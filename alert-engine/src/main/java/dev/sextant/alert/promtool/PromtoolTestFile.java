package dev.sextant.alert.promtool;

import dev.sextant.storage.metrics.Labels;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A parsed {@code promtool test rules} file. */
record PromtoolTestFile(Path path, List<String> ruleFiles, Duration evaluationInterval,
    boolean fuzzyCompare, List<String> groupEvalOrder, List<TestGroup> tests) {

  /** One entry of {@code tests}. */
  public record TestGroup(String name, Duration interval, Instant start,
      List<InputSeries> inputSeries, List<AlertTest> alertTests, List<ExprTest> exprTests,
      Map<String, String> externalLabels, String externalUrl) {}

  /** {@code series} and its expanded {@code values} (see {@link SeriesNotation}). */
  public record InputSeries(Labels labels, List<Double> values) {}

  public record AlertTest(Duration evalTime, String alertname, List<ExpAlert> expAlerts) {}

  public record ExpAlert(Map<String, String> labels, Map<String, String> annotations) {}

  public record ExprTest(String expr, Duration evalTime, List<ExpSample> expSamples) {}

  public record ExpSample(Labels labels, double value) {}
}
