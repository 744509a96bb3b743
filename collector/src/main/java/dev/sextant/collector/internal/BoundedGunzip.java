package dev.sextant.collector.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/** Inflates gzip with a hard cap on the output, so a small gzip bomb is refused, not inflated. */
final class BoundedGunzip {
  /** Thrown when the inflated size would exceed the cap. */
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message);
    }
  }

  private BoundedGunzip() {}

  /** True when {@code data} starts with gzip's magic bytes (never so for an OTLP protobuf). */
  static boolean hasGzipMagic(byte[] data) {
    return data.length >= 2 && data[0] == (byte) 0x1f && data[1] == (byte) 0x8b;
  }

  static byte[] gunzip(byte[] compressed, int maxBytes) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 8192)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(
          Math.min(maxBytes, Math.max(1024, compressed.length * 4)));
      byte[] buf = new byte[16384];
      int total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > maxBytes) {
          throw new TooLargeException("body: decompressed size over " + maxBytes
              + " bytes (expected: <= " + maxBytes + ")");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }
}
