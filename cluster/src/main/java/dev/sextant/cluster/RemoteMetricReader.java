package dev.sextant.cluster;

import dev.sextant.cluster.internal.ReadWire;
import dev.sextant.cluster.internal.WireWriter;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.MetricReader;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import dev.sextant.storage.metrics.TimeSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The metric side of {@link RemoteStorage}: selects fan out and their series are unioned by
 * labels. A series lives in one partition, so normally in one store; when two stores have it (a
 * partition that moved, a replica) its samples are merged by timestamp, the first store's sample
 * kept where both have one.
 */
final class RemoteMetricReader implements MetricReader {
  private final StoreClients clients;
  private final String tenant;

  RemoteMetricReader(StoreClients clients, String tenant) {
    this.clients = clients;
    this.tenant = tenant;
  }

  @Override
  public List<Series> select(List<LabelMatcher> matchers, long minTime, long maxTime) {
    return select(matchers, minTime, maxTime, () -> { });
  }

  @Override
  public List<Series> select(List<LabelMatcher> matchers, long minTime, long maxTime,
      Runnable checkpoint) {
    checkpoint.run();
    TreeMap<Labels, List<TimeSeries>> byLabels = new TreeMap<>();
    for (List<TimeSeries> found : clients.fanOut(clients.stores(), "select", tenant,
        ranged(ReadWire.writer(), matchers, minTime, maxTime), ReadWire::readSeries)) {
      for (TimeSeries s : found) {
        byLabels.computeIfAbsent(s.labels(), unused -> new ArrayList<>(1)).add(s);
      }
    }
    checkpoint.run();
    List<Series> out = new ArrayList<>(byLabels.size());
    byLabels.forEach((labels, parts) -> out.add(merge(labels, parts)));
    return out;
  }

  private static Series merge(Labels labels, List<TimeSeries> parts) {
    if (parts.size() == 1) {
      return new Selected(labels, parts.get(0).timestamps(), parts.get(0).values());
    }
    TreeMap<Long, Double> samples = new TreeMap<>();
    for (TimeSeries p : parts) {
      for (int i = 0; i < p.timestamps().length; i++) {
        samples.putIfAbsent(p.timestamps()[i], p.values()[i]);
      }
    }
    long[] ts = new long[samples.size()];
    double[] vs = new double[samples.size()];
    int i = 0;
    for (Map.Entry<Long, Double> e : samples.entrySet()) {
      ts[i] = e.getKey();
      vs[i++] = e.getValue();
    }
    return new Selected(labels, ts, vs);
  }

  @Override
  public Set<String> labelNames(List<LabelMatcher> matchers, long minTime, long maxTime) {
    return union("label-names", ranged(ReadWire.writer(), matchers, minTime, maxTime));
  }

  @Override
  public Set<String> labelValues(String name, List<LabelMatcher> matchers, long minTime,
      long maxTime) {
    WireWriter w = ReadWire.writer();
    w.writeString(name);
    return union("label-values", ranged(w, matchers, minTime, maxTime));
  }

  private Set<String> union(String call, byte[] body) {
    Set<String> out = new TreeSet<>();
    clients.fanOut(clients.stores(), call, tenant, body, ReadWire::readStrings)
        .forEach(out::addAll);
    return out;
  }

  @Override
  public Map<String, List<MetricMetadata>> metadata(@Nullable String metric, int limit,
      int limitPerMetric) {
    WireWriter w = ReadWire.writer();
    w.writeByte(metric == null ? 0 : 1);
    if (metric != null) {
      w.writeString(metric);
    }
    w.writeZigZag(limit);
    w.writeZigZag(limitPerMetric);
    TreeMap<String, Set<MetricMetadata>> merged = new TreeMap<>();
    for (Map<String, List<MetricMetadata>> found : clients.fanOut(clients.stores(), "metadata",
        tenant, w.toByteArray(), ReadWire::readMetadata)) {
      found.forEach((name, list) ->
          merged.computeIfAbsent(name, unused -> new LinkedHashSet<>()).addAll(list));
    }
    Map<String, List<MetricMetadata>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Set<MetricMetadata>> e : merged.entrySet()) {
      if (limit >= 0 && out.size() >= limit) {
        break;
      }
      List<MetricMetadata> list = new ArrayList<>(e.getValue());
      out.put(e.getKey(), limitPerMetric > 0 && list.size() > limitPerMetric
          ? List.copyOf(list.subList(0, limitPerMetric)) : list);
    }
    return out;
  }

  private static byte[] ranged(WireWriter w, List<LabelMatcher> matchers, long min, long max) {
    ReadWire.writeMatchers(w, matchers);
    w.writeFixed64(min);
    w.writeFixed64(max);
    return w.toByteArray();
  }

  /** A merged series: its samples in arrays. */
  private record Selected(Labels labels, long[] timestamps, double[] values) implements Series {
    @Override
    public SampleIterator samples() {
      return new SampleIterator() {
        private int i = -1;

        @Override
        public boolean next() {
          return ++i < timestamps.length;
        }

        @Override
        public long timestamp() {
          return timestamps[i];
        }

        @Override
        public double value() {
          return values[i];
        }
      };
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Selected s && s.labels.equals(labels)
          && Arrays.equals(s.timestamps, timestamps) && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
      return labels.hashCode() * 31 + Arrays.hashCode(timestamps);
    }

    @Override
    public String toString() {
      return labels + " " + timestamps.length + " samples";
    }
  }
}
