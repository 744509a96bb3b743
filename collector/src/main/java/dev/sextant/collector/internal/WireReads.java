package dev.sextant.collector.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;

/**
 * The protobuf wire steps {@link TraceWireDecoder}'s readers share, and the one way they give up:
 * {@link #BAIL}, thrown deep down and caught in {@link TraceWireDecoder#decode}, which then leaves
 * the request to the generated classes.
 */
final class WireReads {
  static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  static final int VARINT = WireFormat.WIRETYPE_VARINT;
  static final int FIXED64 = WireFormat.WIRETYPE_FIXED64;
  static final int FIXED32 = WireFormat.WIRETYPE_FIXED32;
  static final byte[] NO_BYTES = new byte[0];

  /** "Take the generated classes' path". No stack trace: it is control flow, not an error. */
  static final class Bail extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private Bail() {
      super(null, null, false, false);
    }
  }

  static final Bail BAIL = new Bail();

  private WireReads() {}

  /** Pops a nested message's limit after its last field. */
  static void end(CodedInputStream in, int oldLimit) throws IOException {
    // readTag returned 0: the nested message ended exactly at its length.
    in.checkLastTagWas(0);
    in.popLimit(oldLimit);
  }

  /** A known field with another wire type is an unknown field to protobuf: rare, not copied. */
  static void expect(int tag, int wireType) {
    if (WireFormat.getTagWireType(tag) != wireType) {
      throw BAIL;
    }
  }

  /** Skips an unknown field; groups (deprecated, never sent by exporters) bail. */
  static void skip(CodedInputStream in, int tag) throws IOException {
    int wireType = WireFormat.getTagWireType(tag);
    if (wireType == WireFormat.WIRETYPE_START_GROUP
        || wireType == WireFormat.WIRETYPE_END_GROUP) {
      throw BAIL;
    }
    in.skipField(tag);
  }
}
