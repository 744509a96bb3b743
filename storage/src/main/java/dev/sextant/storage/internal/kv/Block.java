package dev.sextant.storage.internal.kv;

/**
 * A time partition of one signal: {@code [startMillis, startMillis + durationMillis)}. Its name,
 * {@code <start>+<duration>} in milliseconds, names the block's column family and index directory,
 * so a block keeps its extent when the configured block duration later changes.
 */
public record Block(long startMillis, long durationMillis) implements Comparable<Block> {
  public Block {
    if (durationMillis <= 0) {
      throw new IllegalArgumentException("durationMillis: " + durationMillis + " (expected: > 0)");
    }
  }

  /** The block of {@code durationMillis} holding {@code timeMillis}, aligned to the epoch. */
  public static Block containing(long timeMillis, long durationMillis) {
    return new Block(Math.floorDiv(timeMillis, durationMillis) * durationMillis, durationMillis);
  }

  /** Parses a {@link #name()}; null when {@code name} is not one. */
  public static Block parse(String name) {
    int plus = name.indexOf('+', 1);
    if (plus < 0) {
      return null;
    }
    try {
      long dur = Long.parseLong(name.substring(plus + 1));
      return dur > 0 ? new Block(Long.parseLong(name.substring(0, plus)), dur) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  public long endMillis() {
    return startMillis + durationMillis;
  }

  public String name() {
    return startMillis + "+" + durationMillis;
  }

  @Override
  public int compareTo(Block o) {
    int c = Long.compare(startMillis, o.startMillis);
    return c != 0 ? c : Long.compare(durationMillis, o.durationMillis);
  }
}
