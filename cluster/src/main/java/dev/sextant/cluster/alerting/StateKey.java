package dev.sextant.cluster.alerting;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A state-topic record key: version byte 1, tenant (u16 length, UTF-8), table (u8 length,
 * ASCII), then the engine's own key bytes to the end. One key per tenant and state entry, so
 * compaction keeps each entry's latest value and a tombstone deletes it.
 */
final class StateKey {
  static final byte VERSION = 1;

  final String tenant;
  final String table;
  private final byte[] key;

  StateKey(String tenant, String table, byte[] key) {
    this.tenant = tenant;
    this.table = table;
    this.key = key.clone();
  }

  byte[] key() {
    return key.clone();
  }

  byte[] encode() {
    byte[] t = tenant.getBytes(UTF_8);
    byte[] n = table.getBytes(UTF_8);
    if (t.length > 0xffff) {
      throw new IllegalArgumentException("tenant: " + t.length + " bytes (expected: <= 65535)");
    }
    if (n.length > 0xff) {
      throw new IllegalArgumentException("table: " + n.length + " bytes (expected: <= 255)");
    }
    return ByteBuffer.allocate(1 + 2 + t.length + 1 + n.length + key.length).put(VERSION)
        .putShort((short) t.length).put(t).put((byte) n.length).put(n).put(key).array();
  }

  /**
   * Decodes {@code bytes}.
   *
   * @throws IllegalArgumentException when the version is unknown or the lengths overrun
   */
  static StateKey decode(byte[] bytes) {
    try {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      byte v = b.get();
      if (v != VERSION) {
        throw new IllegalArgumentException("state key version: " + v + " (expected: " + VERSION
            + ")");
      }
      byte[] t = new byte[Short.toUnsignedInt(b.getShort())];
      b.get(t);
      byte[] n = new byte[Byte.toUnsignedInt(b.get())];
      b.get(n);
      byte[] k = Arrays.copyOfRange(bytes, b.position(), bytes.length);
      return new StateKey(new String(t, UTF_8), new String(n, UTF_8), k);
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException i) {
        throw i;
      }
      throw new IllegalArgumentException("state key: truncated (" + bytes.length + " bytes)", e);
    }
  }
}
