package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.metrics.ReadOrder;
import dev.sextant.storage.metrics.Series;
import java.util.AbstractList;
import java.util.RandomAccess;

/** A select result in label order that also gives the id order it was read in. */
final class SelectedList extends AbstractList<Series> implements RandomAccess, ReadOrder {
  private final Series[] series;
  private final int[] order;

  /** {@code order}: positions in {@code series} in id order (see {@link ReadOrder}). */
  SelectedList(Series[] series, int[] order) {
    this.series = series;
    this.order = order;
  }

  @Override
  public Series get(int index) {
    return series[index];
  }

  @Override
  public int size() {
    return series.length;
  }

  @Override
  public int[] readOrder() {
    return order;
  }
}
