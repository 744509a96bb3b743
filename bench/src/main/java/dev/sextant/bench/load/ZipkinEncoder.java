package dev.sextant.bench.load;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes a {@link SpanBatch} as Zipkin's {@code zipkin.proto3.ListOfSpans} (the body of
 * {@code POST /api/v2/spans} with {@code application/x-protobuf}), written field by field: the
 * same spans Sextant receives, with attributes as tags and the service as the local endpoint.
 */
final class ZipkinEncoder {
  // zipkin.proto3.Span field numbers
  private static final int TRACE_ID = 1;
  private static final int PARENT_ID = 2;
  private static final int ID = 3;
  private static final int KIND = 4;
  private static final int NAME = 5;
  private static final int TIMESTAMP = 6;
  private static final int DURATION = 7;
  private static final int LOCAL_ENDPOINT = 8;
  private static final int TAGS = 11;
  private static final int KIND_CLIENT = 1;
  private static final int KIND_SERVER = 2;

  private final SpanShape shape;

  ZipkinEncoder(SpanShape shape) {
    this.shape = shape;
  }

  byte[] encode(SpanBatch b) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(b.size * (64 + 48 * shape.attributes));
      CodedOutputStream list = CodedOutputStream.newInstance(out);
      ByteArrayOutputStream spanBytes = new ByteArrayOutputStream(1024);
      for (int i = 0; i < b.size; i++) {
        spanBytes.reset();
        CodedOutputStream span = CodedOutputStream.newInstance(spanBytes);
        writeSpan(span, b, i);
        span.flush();
        list.writeByteArray(1, spanBytes.toByteArray()); // ListOfSpans.spans = 1
      }
      list.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeSpan(CodedOutputStream out, SpanBatch b, int i) throws IOException {
    out.writeBytes(TRACE_ID, OtlpEncoder.id16(b.traceHi[i], b.traceLo[i]));
    if (b.parentId[i] != 0) {
      out.writeBytes(PARENT_ID, OtlpEncoder.id8(b.parentId[i]));
    }
    out.writeBytes(ID, OtlpEncoder.id8(b.spanId[i]));
    out.writeEnum(KIND, b.parentId[i] == 0 ? KIND_SERVER : KIND_CLIENT);
    out.writeString(NAME, shape.operationNames[b.operation[i]]);
    out.writeFixed64(TIMESTAMP, b.startNanos[i] / 1000);
    out.writeUInt64(DURATION, Math.max(1, b.durationNanos[i] / 1000));
    String service = shape.serviceNames[b.service[i]];
    out.writeTag(LOCAL_ENDPOINT, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(CodedOutputStream.computeStringSize(1, service));
    out.writeString(1, service); // Endpoint.service_name = 1
    for (int a = 0; a < shape.attributes; a++) {
      writeTag(out, shape.keys[a], shape.values[a][b.valueIndex[i][a]]);
    }
    if (b.error[i]) {
      writeTag(out, "error", "true");
    }
  }

  private static void writeTag(CodedOutputStream out, String key, String value)
      throws IOException {
    // map<string,string> entries are messages {1: key, 2: value}
    out.writeTag(TAGS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(CodedOutputStream.computeStringSize(1, key)
        + CodedOutputStream.computeStringSize(2, value));
    out.writeString(1, key);
    out.writeString(2, value);
  }
}
