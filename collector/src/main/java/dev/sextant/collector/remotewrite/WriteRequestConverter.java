package dev.sextant.collector.remotewrite;

import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.collector.remotewrite.prompb.Remote.WriteRequest;
import dev.sextant.collector.remotewrite.prompb.Types;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.TimeSeries;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A remote-write request → the series and metadata to store. A series whose labels are invalid
 * (no metric name, a name that is not a Prometheus name, a label twice) or over
 * {@link IngestLimits} ({@code maxAttributes} labels, {@code maxAttributeKeyLength} characters of
 * a name, {@code maxAttributeValueLength} of a value) is rejected whole with its samples, and so
 * is every native histogram sample (not stored by Sextant); the rest of the request is kept.
 * Labels with an empty value are dropped, as Prometheus treats them as absent. Exemplars are
 * ignored.
 */
final class WriteRequestConverter {
  /** What to store, and what was rejected with the first reason. */
  record Conversion(List<TimeSeries> series, List<MetricMetadata> metadata, long samples,
      long rejected, @Nullable String firstError) {}

  private final IngestLimits limits;

  WriteRequestConverter(IngestLimits limits) {
    this.limits = limits;
  }

  Conversion convert(WriteRequest request) {
    List<TimeSeries> out = new ArrayList<>(request.getTimeseriesCount());
    long samples = 0;
    long rejected = 0;
    String first = null;
    for (Types.TimeSeries ts : request.getTimeseriesList()) {
      int n = ts.getSamplesCount();
      samples += n + ts.getHistogramsCount();
      if (ts.getHistogramsCount() > 0) {
        rejected += ts.getHistogramsCount();
        if (first == null) {
          first = "series " + abbreviate(describe(ts)) + ": native histogram samples are not"
              + " supported (send classic histograms)";
        }
      }
      if (n == 0) {
        continue;
      }
      String problem = check(ts);
      if (problem != null) {
        rejected += n;
        if (first == null) {
          first = "series " + abbreviate(describe(ts)) + ": " + problem;
        }
        continue;
      }
      TreeMap<String, String> m = new TreeMap<>();
      for (Types.Label l : ts.getLabelsList()) {
        if (!l.getValue().isEmpty()) {
          m.put(l.getName(), l.getValue());
        }
      }
      long[] times = new long[n];
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        Types.Sample s = ts.getSamples(i);
        times[i] = s.getTimestamp();
        values[i] = s.getValue();
      }
      out.add(new TimeSeries(Labels.of(m), times, values));
    }
    return new Conversion(out, metadata(request), samples, rejected, first);
  }

  /** What is wrong with the series' labels, or null. */
  private @Nullable String check(Types.TimeSeries ts) {
    int count = 0;
    String metric = null;
    String previous = null;
    boolean sorted = true; // as Prometheus sends them: then no name can repeat
    for (Types.Label l : ts.getLabelsList()) {
      String name = l.getName();
      String value = l.getValue();
      if (previous != null && previous.compareTo(name) >= 0) {
        sorted = false;
      }
      previous = name;
      if (!validLabelName(name)) {
        return "invalid label name '" + abbreviate(name) + "' (expected: [a-zA-Z_][a-zA-Z0-9_]*)";
      }
      if (name.length() > limits.maxAttributeKeyLength()) {
        return "label name " + abbreviate(name) + " is " + name.length() + " characters"
            + " (expected: <= " + limits.maxAttributeKeyLength() + ", maxAttributeKeyLength)";
      }
      if (value.length() > limits.maxAttributeValueLength()) {
        return "value of label " + name + " is " + value.length() + " characters (expected: <= "
            + limits.maxAttributeValueLength() + ", maxAttributeValueLength)";
      }
      if (value.isEmpty()) {
        continue;
      }
      count++;
      if (name.equals(Labels.NAME)) {
        metric = value;
      }
    }
    if (!sorted) {
      Set<String> seen = new HashSet<>();
      for (Types.Label l : ts.getLabelsList()) {
        if (!seen.add(l.getName())) {
          return "label " + abbreviate(l.getName()) + " given twice";
        }
      }
    }
    if (metric == null) {
      return "no metric name (expected: a non-empty __name__ label)";
    }
    if (!validMetricName(metric)) {
      return "invalid metric name '" + abbreviate(metric)
          + "' (expected: [a-zA-Z_:][a-zA-Z0-9_:]*)";
    }
    if (count > limits.maxAttributes()) {
      return count + " labels (expected: <= " + limits.maxAttributes() + ", maxAttributes)";
    }
    return null;
  }

  private List<MetricMetadata> metadata(WriteRequest request) {
    if (request.getMetadataCount() == 0) {
      return List.of();
    }
    Map<String, MetricMetadata> out = new LinkedHashMap<>();
    for (Types.MetricMetadata m : request.getMetadataList()) {
      String name = m.getMetricFamilyName();
      if (name.isEmpty() || name.length() > limits.maxNameLength()) {
        continue; // advisory: a bad entry is skipped, never a reason to refuse samples
      }
      out.put(name + '\0' + m.getTypeValue() + '\0' + m.getHelp() + '\0' + m.getUnit(),
          new MetricMetadata(name, type(m.getType()), m.getHelp(), m.getUnit()));
    }
    return List.copyOf(out.values());
  }

  private static MetricMetadata.Type type(Types.MetricMetadata.MetricType t) {
    return switch (t) {
      case COUNTER -> MetricMetadata.Type.COUNTER;
      case GAUGE -> MetricMetadata.Type.GAUGE;
      case HISTOGRAM -> MetricMetadata.Type.HISTOGRAM;
      case GAUGEHISTOGRAM -> MetricMetadata.Type.GAUGEHISTOGRAM;
      case SUMMARY -> MetricMetadata.Type.SUMMARY;
      case INFO -> MetricMetadata.Type.INFO;
      case STATESET -> MetricMetadata.Type.STATESET;
      case UNKNOWN, UNRECOGNIZED -> MetricMetadata.Type.UNKNOWN;
    };
  }

  static boolean validLabelName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
          || (i > 0 && c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }

  static boolean validMetricName(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
          || (i > 0 && c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return !s.isEmpty();
  }

  /** {@code name{a="b", ...}} as sent, for messages. */
  private static String describe(Types.TimeSeries ts) {
    StringBuilder sb = new StringBuilder("{");
    for (Types.Label l : ts.getLabelsList()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(l.getName()).append("=\"").append(l.getValue()).append('"');
      if (sb.length() > 200) {
        break;
      }
    }
    return sb.append('}').toString();
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }
}
