package dev.sextant.query.promql;

import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricReader;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import dev.sextant.storage.metrics.TimeSeries;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** A TreeMap-backed {@link MetricReader} for engine tests. */
final class InMemoryMetricReader implements MetricReader {
  private final TreeMap<Labels, TimeSeries> series = new TreeMap<>();

  InMemoryMetricReader(List<TimeSeries> data) {
    for (TimeSeries ts : data) {
      TimeSeries prev = series.get(ts.labels());
      if (prev == null) {
        series.put(ts.labels(), ts);
      } else {
        series.put(ts.labels(), merge(prev, ts));
      }
    }
  }

  /** One series per label set, samples sorted by time (later loads win on equal times). */
  static List<TimeSeries> mergeByLabels(List<TimeSeries> data) {
    return new ArrayList<>(new InMemoryMetricReader(data).series.values());
  }

  private static TimeSeries merge(TimeSeries a, TimeSeries b) {
    TreeMap<Long, Double> m = new TreeMap<>();
    for (int i = 0; i < a.timestamps().length; i++) {
      m.put(a.timestamps()[i], a.values()[i]);
    }
    for (int i = 0; i < b.timestamps().length; i++) {
      m.put(b.timestamps()[i], b.values()[i]);
    }
    long[] ts = new long[m.size()];
    double[] vs = new double[m.size()];
    int i = 0;
    for (var e : m.entrySet()) {
      ts[i] = e.getKey();
      vs[i++] = e.getValue();
    }
    return new TimeSeries(a.labels(), ts, vs);
  }

  private static boolean matches(Labels l, List<LabelMatcher> matchers) {
    for (LabelMatcher m : matchers) {
      if (!m.matches(l)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public List<Series> select(List<LabelMatcher> matchers, long minTime, long maxTime) {
    List<Series> out = new ArrayList<>();
    for (TimeSeries ts : series.values()) {
      if (!matches(ts.labels(), matchers)) {
        continue;
      }
      out.add(new Series() {
        @Override
        public Labels labels() {
          return ts.labels();
        }

        @Override
        public SampleIterator samples() {
          return new SampleIterator() {
            int i = -1;

            @Override
            public boolean next() {
              while (++i < ts.timestamps().length) {
                long t = ts.timestamps()[i];
                if (t >= minTime && t <= maxTime) {
                  return true;
                }
              }
              return false;
            }

            @Override
            public long timestamp() {
              return ts.timestamps()[i];
            }

            @Override
            public double value() {
              return ts.values()[i];
            }
          };
        }
      });
    }
    return out;
  }

  @Override
  public Set<String> labelNames(List<LabelMatcher> matchers, long minTime, long maxTime) {
    Set<String> out = new TreeSet<>();
    for (TimeSeries ts : series.values()) {
      if (matches(ts.labels(), matchers)) {
        ts.labels().forEach(l -> out.add(l.name()));
      }
    }
    return out;
  }

  @Override
  public Set<String> labelValues(String name, List<LabelMatcher> matchers, long minTime,
      long maxTime) {
    Set<String> out = new TreeSet<>();
    for (TimeSeries ts : series.values()) {
      if (matches(ts.labels(), matchers) && ts.labels().has(name)) {
        out.add(ts.labels().get(name));
      }
    }
    return out;
  }
}
