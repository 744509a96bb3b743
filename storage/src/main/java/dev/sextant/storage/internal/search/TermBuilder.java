package dev.sextant.storage.internal.search;

import org.apache.lucene.util.ArrayUtil;
import org.apache.lucene.util.BytesRef;

/**
 * A reusable term of the span index's {@link SpanDocuments#TAGS} field, UTF-8 encoded straight
 * into a growing array: no {@code String} concatenation or intermediate arrays per term.
 */
final class TermBuilder {
  private final BytesRef ref = new BytesRef(new byte[64], 0, 0);

  /** Starts a new term with its tag byte. */
  TermBuilder start(byte tag) {
    ref.length = 0;
    ref.bytes[ref.length++] = tag;
    return this;
  }

  TermBuilder appendByte(byte b) {
    ensure(1);
    ref.bytes[ref.length++] = b;
    return this;
  }

  /** Appends the UTF-8 of {@code s}; unpaired surrogates become U+FFFD, as Java's encoder does. */
  TermBuilder append(String s) {
    int n = s.length();
    ensure(n * 3);
    byte[] b = ref.bytes;
    int at = ref.length;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[at++] = (byte) c;
      } else if (c < 0x800) {
        b[at++] = (byte) (0xC0 | (c >> 6));
        b[at++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[at++] = (byte) (0xF0 | (cp >> 18));
        b[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        b[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[at++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        if (Character.isSurrogate(c)) {
          c = '\uFFFD';
        }
        b[at++] = (byte) (0xE0 | (c >> 12));
        b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[at++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    ref.length = at;
    return this;
  }

  /**
   * Builds {@code 'a' + varint(UTF-8 length of key) + key + value}: the length prefix keeps the
   * pair unambiguous whatever characters the key holds.
   */
  TermBuilder attribute(String key, String value) {
    start(SpanDocuments.ATTRIBUTE_TAG);
    appendByte((byte) 0); // the key length, patched below
    append(key);
    int keyBytes = ref.length - 2;
    if (keyBytes < 0x80) {
      ref.bytes[1] = (byte) keyBytes;
    } else { // rare: move the key right to make room for a longer varint
      int extra = keyBytes < (1 << 14) ? 1 : keyBytes < (1 << 21) ? 2 : 3;
      ensure(extra);
      System.arraycopy(ref.bytes, 2, ref.bytes, 2 + extra, keyBytes);
      int at = 1;
      int v = keyBytes;
      while (v >= 0x80) {
        ref.bytes[at++] = (byte) (0x80 | (v & 0x7F));
        v >>>= 7;
      }
      ref.bytes[at] = (byte) v;
      ref.length += extra;
    }
    return append(value);
  }

  /** The term, backed by this builder's array: valid until the next {@code start}. */
  BytesRef bytesRef() {
    return ref;
  }

  /** A copy of the term. */
  BytesRef toBytesRef() {
    return BytesRef.deepCopyOf(ref);
  }

  private void ensure(int more) {
    if (ref.length + more > ref.bytes.length) {
      ref.bytes = ArrayUtil.grow(ref.bytes, ref.length + more);
    }
  }
}
