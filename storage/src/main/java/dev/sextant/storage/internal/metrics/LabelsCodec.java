package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.metrics.Labels;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Stored form of a label set: uvarint pair count, then length-prefixed UTF-8 names and values. */
final class LabelsCodec {
  private LabelsCodec() {}

  static byte[] encode(Labels labels) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    putVar(out, labels.size());
    for (int i = 0; i < labels.size(); i++) {
      putString(out, labels.name(i));
      putString(out, labels.value(i));
    }
    return out.toByteArray();
  }

  static Labels decode(byte[] b) {
    int[] pos = {0};
    int n = getVar(b, pos);
    String[] nv = new String[n * 2];
    for (int i = 0; i < nv.length; i++) {
      int len = getVar(b, pos);
      if (len < 0 || pos[0] + len > b.length) {
        throw new IllegalStateException("corrupt series labels: string overruns record");
      }
      nv[i] = new String(b, pos[0], len, StandardCharsets.UTF_8);
      pos[0] += len;
    }
    return Labels.of(nv);
  }

  private static void putString(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    putVar(out, b.length);
    out.write(b, 0, b.length);
  }

  private static void putVar(ByteArrayOutputStream out, int v) {
    while ((v & ~0x7F) != 0) {
      out.write((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write(v);
  }

  private static int getVar(byte[] b, int[] pos) {
    int v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (pos[0] >= b.length) {
        break;
      }
      byte x = b[pos[0]++];
      v |= (x & 0x7F) << shift;
      if (x >= 0) {
        return v;
      }
    }
    throw new IllegalStateException("corrupt series labels: bad varint");
  }
}
