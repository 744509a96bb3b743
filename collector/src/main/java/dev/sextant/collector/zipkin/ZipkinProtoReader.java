package dev.sextant.collector.zipkin;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads Zipkin's protobuf {@code ListOfSpans} by its field numbers
 * ({@code src/main/proto/zipkin2/zipkin.proto}): four small messages, read straight off the wire
 * rather than through generated classes, so the build needs no protoc. Unknown fields are
 * skipped, as any protobuf reader does; a known field with the wrong wire type or invalid UTF-8
 * fails the request, naming the field.
 */
final class ZipkinProtoReader {
  // ListOfSpans
  private static final int SPANS = 1;
  // Span
  private static final int TRACE_ID = 1;
  private static final int PARENT_ID = 2;
  private static final int ID = 3;
  private static final int KIND = 4;
  private static final int NAME = 5;
  private static final int TIMESTAMP = 6;
  private static final int DURATION = 7;
  private static final int LOCAL_ENDPOINT = 8;
  private static final int REMOTE_ENDPOINT = 9;
  private static final int ANNOTATIONS = 10;
  private static final int TAGS = 11;
  private static final int DEBUG = 12;
  private static final int SHARED = 13;
  // Endpoint
  private static final int SERVICE_NAME = 1;
  private static final int IPV4 = 2;
  private static final int IPV6 = 3;
  private static final int PORT = 4;
  // Annotation, and a map entry of tags
  private static final int ANNOTATION_TIMESTAMP = 1;
  private static final int ANNOTATION_VALUE = 2;
  private static final int KEY = 1;
  private static final int VALUE = 2;

  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int VARINT = WireFormat.WIRETYPE_VARINT;
  private static final int FIXED64 = WireFormat.WIRETYPE_FIXED64;

  private ZipkinProtoReader() {}

  static List<ZipkinSpan> read(byte[] body) throws ZipkinFormatException {
    CodedInputStream in = CodedInputStream.newInstance(body);
    List<ZipkinSpan> spans = new ArrayList<>();
    String at = "body";
    try {
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (WireFormat.getTagFieldNumber(tag) != SPANS) {
          in.skipField(tag);
          continue;
        }
        at = "spans[" + spans.size() + "]";
        wireType(tag, LEN, at);
        int length = in.readRawVarint32();
        // Inside a message the limit catches a length past its end; at the top, this does.
        if (length < 0 || length > body.length - in.getTotalBytesRead()) {
          throw new InvalidProtocolBufferException("length " + length + " runs past the end"
              + " of the body (truncated?)");
        }
        int limit = in.pushLimit(length);
        spans.add(span(in, at));
        in.popLimit(limit);
      }
    } catch (InvalidProtocolBufferException e) {
      throw new ZipkinFormatException(at + ": malformed protobuf (expected: a Zipkin ListOfSpans): "
          + e.getMessage());
    } catch (IOException e) {
      throw new ZipkinFormatException(at + ": " + e.getMessage());
    }
    return spans;
  }

  private static ZipkinSpan span(CodedInputStream in, String at)
      throws IOException, ZipkinFormatException {
    ZipkinSpanBuilder b = new ZipkinSpanBuilder(at);
    int tag;
    while ((tag = in.readTag()) != 0) {
      int field = WireFormat.getTagFieldNumber(tag);
      switch (field) {
        case TRACE_ID -> b.traceId = ZipkinIds.traceId(wireType(tag, LEN, at + ".trace_id"),
            in.readByteArray());
        case PARENT_ID -> b.parentId = ZipkinIds.parentId(wireType(tag, LEN, at + ".parent_id"),
            in.readByteArray());
        case ID -> b.id = ZipkinIds.spanId(wireType(tag, LEN, at + ".id"), in.readByteArray());
        case KIND -> {
          wireType(tag, VARINT, at + ".kind");
          b.kind = kind(in.readEnum(), at + ".kind");
        }
        case NAME -> b.name = string(in, tag, at + ".name");
        case TIMESTAMP -> {
          wireType(tag, FIXED64, at + ".timestamp");
          b.timestamp = micros(in.readFixed64(), at + ".timestamp");
        }
        case DURATION -> {
          wireType(tag, VARINT, at + ".duration");
          b.duration = micros(in.readUInt64(), at + ".duration");
        }
        case LOCAL_ENDPOINT -> b.localEndpoint = endpoint(in, tag, at + ".local_endpoint");
        case REMOTE_ENDPOINT -> b.remoteEndpoint = endpoint(in, tag, at + ".remote_endpoint");
        case ANNOTATIONS -> annotation(in, tag, at + ".annotations", b);
        case TAGS -> tag(in, tag, at + ".tags", b);
        case DEBUG -> {
          wireType(tag, VARINT, at + ".debug");
          b.debug = in.readBool();
        }
        case SHARED -> {
          wireType(tag, VARINT, at + ".shared");
          b.shared = in.readBool();
        }
        default -> in.skipField(tag);
      }
    }
    return b.build();
  }

  private static ZipkinSpan.Endpoint endpoint(CodedInputStream in, int tag, String at)
      throws IOException, ZipkinFormatException {
    wireType(tag, LEN, at);
    int limit = in.pushLimit(in.readRawVarint32());
    String service = "";
    String ipv4 = "";
    String ipv6 = "";
    int port = 0;
    int t;
    while ((t = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(t)) {
        case SERVICE_NAME -> service = string(in, t, at + ".service_name");
        case IPV4 -> ipv4 = ip(in, t, at + ".ipv4", 4);
        case IPV6 -> ipv6 = ip(in, t, at + ".ipv6", 16);
        case PORT -> {
          wireType(t, VARINT, at + ".port");
          int v = in.readInt32();
          if (v < 0 || v > 65535) {
            throw new ZipkinFormatException(at + ".port: " + v + " (expected: 0-65535)");
          }
          port = v;
        }
        default -> in.skipField(t);
      }
    }
    in.popLimit(limit);
    return new ZipkinSpan.Endpoint(service, ipv4, ipv6, port);
  }

  private static void annotation(CodedInputStream in, int tag, String at, ZipkinSpanBuilder b)
      throws IOException, ZipkinFormatException {
    wireType(tag, LEN, at);
    int limit = in.pushLimit(in.readRawVarint32());
    long timestamp = 0;
    String value = "";
    int t;
    while ((t = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(t)) {
        case ANNOTATION_TIMESTAMP -> {
          wireType(t, FIXED64, at + ".timestamp");
          timestamp = micros(in.readFixed64(), at + ".timestamp");
        }
        case ANNOTATION_VALUE -> value = string(in, t, at + ".value");
        default -> in.skipField(t);
      }
    }
    in.popLimit(limit);
    b.annotation(timestamp, value);
  }

  /** One entry of {@code map<string, string> tags}: a message of key 1 and value 2. */
  private static void tag(CodedInputStream in, int tag, String at, ZipkinSpanBuilder b)
      throws IOException, ZipkinFormatException {
    wireType(tag, LEN, at);
    int limit = in.pushLimit(in.readRawVarint32());
    String key = "";
    String value = "";
    int t;
    while ((t = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(t)) {
        case KEY -> key = string(in, t, at + " key");
        case VALUE -> value = string(in, t, at + "." + key);
        default -> in.skipField(t);
      }
    }
    in.popLimit(limit);
    b.tag(key, value);
  }

  private static String string(CodedInputStream in, int tag, String f)
      throws IOException, ZipkinFormatException {
    wireType(tag, LEN, f);
    ByteString bytes = in.readBytes();
    if (!bytes.isValidUtf8()) {
      throw new ZipkinFormatException(f + ": invalid UTF-8 (expected: UTF-8 text)");
    }
    return bytes.toStringUtf8();
  }

  private static String ip(CodedInputStream in, int tag, String f, int length)
      throws IOException, ZipkinFormatException {
    wireType(tag, LEN, f);
    byte[] b = in.readByteArray();
    if (b.length == 0) {
      return "";
    }
    if (b.length != length) {
      throw new ZipkinFormatException(f + ": " + b.length + " bytes (expected: " + length + ")");
    }
    return length == 4 ? (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "."
        + (b[3] & 0xff) : ipv6(b);
  }

  /**
   * RFC 5952's text form, which Zipkin's JSON carries: lowercase hex groups, the longest run of
   * two or more zero groups (the first of equal runs) written {@code ::}.
   */
  static String ipv6(byte[] b) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; i++) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = Math.max(i, j - 1);
    }
    StringBuilder out = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  private static ZipkinSpan.@Nullable Kind kind(int value, String f)
      throws ZipkinFormatException {
    return switch (value) {
      case 0 -> null;
      case 1 -> ZipkinSpan.Kind.CLIENT;
      case 2 -> ZipkinSpan.Kind.SERVER;
      case 3 -> ZipkinSpan.Kind.PRODUCER;
      case 4 -> ZipkinSpan.Kind.CONSUMER;
      default -> throw new ZipkinFormatException(f + ": " + value
          + " (expected: 0-4, unspecified, CLIENT, SERVER, PRODUCER or CONSUMER)");
    };
  }

  /** fixed64 and uint64 are unsigned: above Long.MAX_VALUE they read negative. */
  private static long micros(long value, String f) throws ZipkinFormatException {
    if (value < 0) {
      throw new ZipkinFormatException(f + ": " + Long.toUnsignedString(value)
          + " (expected: microseconds below 2^63)");
    }
    return value;
  }

  /** Returns {@code f} when {@code tag} has the wire type {@code expected}, else throws. */
  private static String wireType(int tag, int expected, String f) throws ZipkinFormatException {
    int got = WireFormat.getTagWireType(tag);
    if (got != expected) {
      throw new ZipkinFormatException(f + ": wire type " + got + " (expected: " + expected + ")");
    }
    return f;
  }
}
