package dev.sextant.query.promql;

import dev.sextant.storage.metrics.Labels;
import java.util.Collection;
import java.util.TreeMap;

/**
 * Label-set edits the engine needs that the storage {@link Labels} type does not offer: drop,
 * keep or set labels, returning a new set.
 */
final class LabelSets {
  private LabelSets() {}

  static Labels without(Labels l, String name) {
    return name.equals(Labels.NAME) ? l.withoutName() : l.without(name);
  }

  static Labels withoutAll(Labels l, Collection<String> names, boolean alsoName) {
    TreeMap<String, String> m = l.toMap();
    m.keySet().removeAll(names);
    if (alsoName) {
      m.remove(Labels.NAME);
    }
    return Labels.of(m);
  }

  static Labels keepOnly(Labels l, Collection<String> names) {
    TreeMap<String, String> m = new TreeMap<>();
    for (String n : names) {
      String v = l.get(n);
      if (!v.isEmpty()) {
        m.put(n, v);
      }
    }
    return Labels.of(m);
  }

  static Labels with(Labels l, String name, String value) {
    TreeMap<String, String> m = l.toMap();
    if (value.isEmpty()) {
      m.remove(name);
    } else {
      m.put(name, value);
    }
    return Labels.of(m);
  }
}
