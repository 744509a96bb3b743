package dev.sextant.storage.internal.spans;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A decoded span's attributes as the two arrays they were read into: immutable, in stored order,
 * with {@code equals}, {@code hashCode} and {@code toString} of any {@code Map}. A trace read
 * decodes some ten attributes on each of its thousands of spans; as a {@code LinkedHashMap} each
 * map was a hash table and an entry per attribute (~600 bytes for ten), here it is one array.
 * {@link #get} scans the keys, so only small maps are made this way ({@link #MAX_SIZE}); the keys
 * must be distinct, as those of an encoded map are.
 */
final class ArrayAttributes extends AbstractMap<String, Object> {
  /** Larger maps stay hash maps: their look-ups would scan too far. */
  static final int MAX_SIZE = 32;

  private final String[] keys;
  private final @Nullable Object[] values;

  ArrayAttributes(String[] keys, @Nullable Object[] values) {
    if (keys.length != values.length || keys.length > MAX_SIZE) {
      throw new IllegalArgumentException("keys: " + keys.length + ", values: " + values.length
          + " (expected: the same, at most " + MAX_SIZE + ")");
    }
    this.keys = keys;
    this.values = values;
  }

  /**
   * The map of {@code keys[i]} to {@code values[i]}, as putting them one by one into a {@code
   * LinkedHashMap} would make it (a repeated key keeps its first place and its last value), made
   * unmodifiable; as arrays when small and the keys are distinct. Takes the arrays over.
   */
  static Map<String, Object> of(String[] keys, @Nullable Object[] values) {
    int n = keys.length;
    if (n == 0) {
      return Collections.emptyMap();
    }
    if (n <= MAX_SIZE && distinct(keys)) {
      return new ArrayAttributes(keys, values);
    }
    Map<String, Object> m = new LinkedHashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      m.put(keys[i], values[i]);
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * Whether no key repeats (an encoded map's keys do not; a damaged value's might). Dictionary
   * keys are the same instances span after span, with their hash codes cached.
   */
  private static boolean distinct(String[] keys) {
    for (int i = 1; i < keys.length; i++) {
      int h = keys[i].hashCode();
      for (int j = 0; j < i; j++) {
        if (keys[j].hashCode() == h && keys[i].equals(keys[j])) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public int size() {
    return keys.length;
  }

  @Override
  public boolean isEmpty() {
    return keys.length == 0;
  }

  private int indexOf(@Nullable Object key) {
    if (key != null) {
      // Hash codes first: strings cache theirs, and most keys differ in them.
      int h = key.hashCode();
      for (int i = 0; i < keys.length; i++) {
        if (keys[i].hashCode() == h && keys[i].equals(key)) {
          return i;
        }
      }
    }
    return -1;
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public @Nullable Object get(@Nullable Object key) {
    int i = indexOf(key);
    return i < 0 ? null : values[i];
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Object> action) {
    for (int i = 0; i < keys.length; i++) {
      action.accept(keys[i], values[i]);
    }
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return keys.length;
      }

      @Override
      public Iterator<Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < keys.length;
          }

          @Override
          public Entry<String, Object> next() {
            if (next >= keys.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new SimpleImmutableEntry<>(keys[i], values[i]);
          }
        };
      }
    };
  }
}
