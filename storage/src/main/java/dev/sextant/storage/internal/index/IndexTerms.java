package dev.sextant.storage.internal.index;

import java.nio.charset.StandardCharsets;
import org.apache.lucene.index.IndexWriter;

/**
 * Keeps what the index layer hands Lucene within Lucene's limits, whatever the collector let
 * through (or let through before it bounded strings): a term or sorted doc value over
 * {@link #MAX_BYTES} UTF-8 bytes is cut at a character boundary. Indexing and querying cut the
 * same way, so a search for the whole string still finds the record.
 */
public final class IndexTerms {
  /** Lucene's largest term and sorted doc value: 32766 bytes. */
  public static final int MAX_BYTES = IndexWriter.MAX_TERM_LENGTH;

  private IndexTerms() {}

  /** {@code s}, or its longest prefix whose UTF-8 fits {@link #MAX_BYTES}. */
  public static String clamp(String s) {
    if (s.length() <= MAX_BYTES / 3) { // at most 3 UTF-8 bytes per UTF-16 char
      return s;
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= MAX_BYTES) {
      return s;
    }
    return new String(utf8, 0, cut(utf8, 0, MAX_BYTES), StandardCharsets.UTF_8);
  }

  /**
   * The length, at most {@code max}, of the longest prefix of the UTF-8 at {@code bytes[offset]}
   * that ends on a character boundary.
   */
  public static int cut(byte[] bytes, int offset, int max) {
    int end = offset + max;
    // A continuation byte (10xxxxxx) just past the cut: its character straddles it, drop it.
    while (end > offset && (bytes[end] & 0xC0) == 0x80) {
      end--;
    }
    return end - offset;
  }
}
