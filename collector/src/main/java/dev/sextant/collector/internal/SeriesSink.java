package dev.sextant.collector.internal;

import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.TimeSeries;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Collects samples as single-sample series, with a reusable label base. */
final class SeriesSink {
  final List<TimeSeries> out = new ArrayList<>();

  void add(TreeMap<String, String> base, String name, String extraName, String extraValue,
      long timeMillis, double value) {
    TreeMap<String, String> m = new TreeMap<>(base);
    m.put(Labels.NAME, name);
    if (extraName != null) {
      m.put(extraName, extraValue);
    }
    out.add(TimeSeries.of(Labels.of(m), timeMillis, value));
  }
}
