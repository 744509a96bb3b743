package dev.sextant.alert.promtool;

import dev.sextant.alert.query.QueryFunction;
import dev.sextant.alert.query.Sample;
import dev.sextant.storage.metrics.Label;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricWriter;
import dev.sextant.storage.metrics.StaleMarker;
import dev.sextant.storage.metrics.TimeSeries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the PromQL engine in unit tests: numbers, plain selectors, and
 * {@code selector OP number}. Anything else throws, like a query the engine rejects.
 */
final class SimpleTestEngine implements TestEngine {
  private static final Pattern CMP = Pattern.compile("(.+?)\\s*(==|!=|>|<)\\s*([-+]?[0-9.]+)");
  private final Map<Labels, TreeMap<Long, Double>> data = new ConcurrentHashMap<>();

  SimpleTestEngine(List<TimeSeries> input) {
    input.forEach(this::append);
  }

  private void append(TimeSeries s) {
    TreeMap<Long, Double> m = data.computeIfAbsent(s.labels(), k -> new TreeMap<>());
    for (int i = 0; i < s.timestamps().length; i++) {
      m.put(s.timestamps()[i], s.values()[i]);
    }
  }

  @Override
  public MetricWriter writer() {
    return series -> {
      series.forEach(this::append);
      return CompletableFuture.completedFuture(null);
    };
  }

  @Override
  public QueryFunction query() {
    return (expr, time) -> {
      String e = expr.strip();
      if (e.matches("[-+]?[0-9.]+")) {
        return List.of(new Sample(Labels.EMPTY, Double.parseDouble(e)));
      }
      Matcher m = CMP.matcher(e);
      if (m.matches()) {
        double v = Double.parseDouble(m.group(3));
        List<Sample> out = new ArrayList<>();
        for (Sample s : select(m.group(1), time.toEpochMilli())) {
          boolean keep = switch (m.group(2)) {
            case "==" -> s.value() == v;
            case "!=" -> s.value() != v;
            case ">" -> s.value() > v;
            default -> s.value() < v;
          };
          if (keep) {
            out.add(s);
          }
        }
        return out;
      }
      if (e.matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*})?")) {
        return select(e, time.toEpochMilli());
      }
      throw new IllegalArgumentException("unsupported by the test engine: " + e);
    };
  }

  private List<Sample> select(String selector, long t) {
    Labels want = SeriesNotation.parseSeries(selector);
    List<Sample> out = new ArrayList<>();
    for (Map.Entry<Labels, TreeMap<Long, Double>> e : data.entrySet()) {
      boolean match = true;
      for (Label l : want) {
        match &= e.getKey().get(l.name()).equals(l.value());
      }
      if (!match) {
        continue;
      }
      Map.Entry<Long, Double> last = e.getValue().floorEntry(t);
      if (last != null && last.getKey() > t - 300_000 && !StaleMarker.isStale(last.getValue())) {
        out.add(new Sample(e.getKey(), last.getValue()));
      }
    }
    return out;
  }
}
