package dev.sextant.storage.internal.spans;

import dev.sextant.storage.internal.index.IndexTerms;
import java.nio.charset.StandardCharsets;
import org.apache.lucene.util.ArrayUtil;
import org.apache.lucene.util.BytesRef;

/**
 * A reusable term of the span index's {@link SpanDocuments#TAGS} field, UTF-8 encoded into a
 * growing array: no {@code String} concatenation per term.
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

  /**
   * Appends the UTF-8 of {@code s}. {@code getBytes} is the fast path for the usual Latin-1
   * string (a vectorised ASCII check and a copy), faster than encoding char by char.
   */
  TermBuilder append(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    ensure(utf8.length);
    System.arraycopy(utf8, 0, ref.bytes, ref.length, utf8.length);
    ref.length += utf8.length;
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
    return append(value).clamp();
  }

  /**
   * Cuts the term to Lucene's limit ({@link IndexTerms#MAX_BYTES}) at a UTF-8 character
   * boundary; queries build their terms the same way, so a clamped term still matches.
   */
  TermBuilder clamp() {
    if (ref.length > IndexTerms.MAX_BYTES) {
      ref.length = IndexTerms.cut(ref.bytes, 0, IndexTerms.MAX_BYTES);
    }
    return this;
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
