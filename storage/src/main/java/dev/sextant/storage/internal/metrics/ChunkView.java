package dev.sextant.storage.internal.metrics;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * An immutable view of a series' in-memory chunks, oldest first (see
 * {@link MemSeries#snapshot()}), with their time bounds copied into one array: a select finds
 * the chunks in its range from that array alone. Reading each chunk's bounds from the chunk
 * costs a cache miss per chunk, and a select of 10,000 series over the recent hour touches
 * four or five chunks per series, most of them only to skip them.
 */
final class ChunkView extends AbstractList<Chunk> implements RandomAccess {
  static final ChunkView EMPTY = new ChunkView(new Chunk[0]);

  private final Chunk[] chunks;
  /** minTime, maxTime of each chunk. */
  private final long[] bounds;
  /** chunks.length, kept here so a select does not touch the array to learn it. */
  private final int size;

  ChunkView(Chunk[] chunks) {
    this.chunks = chunks;
    this.size = chunks.length;
    bounds = new long[chunks.length * 2];
    for (int i = 0; i < chunks.length; i++) {
      bounds[2 * i] = chunks[i].minTime();
      bounds[2 * i + 1] = chunks[i].maxTime();
    }
  }

  long minTime(int i) {
    return bounds[2 * i];
  }

  long maxTime(int i) {
    return bounds[2 * i + 1];
  }

  /** The chunks (shared: not to be changed). */
  Chunk[] chunks() {
    return chunks;
  }

  @Override
  public Chunk get(int index) {
    return chunks[index];
  }

  @Override
  public int size() {
    return size;
  }
}
