package dev.sextant.collector.zipkin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reads Zipkin's v2 JSON ({@code [{"traceId": ..., "id": ..., ...}, ...]}) with a streaming
 * parser: no tree of the whole body is built, unknown fields are skipped (as Zipkin does, for
 * newer clients), and every error names the field it is in.
 */
final class ZipkinJsonReader {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private ZipkinJsonReader() {}

  static List<ZipkinSpan> read(byte[] body) throws ZipkinFormatException {
    try (JsonParser p = JSON.createParser(body)) {
      try {
        return spans(p);
      } catch (JsonProcessingException e) {
        JsonLocation l = e.getLocation();
        String where = p.getParsingContext().pathAsPointer().toString();
        throw new ZipkinFormatException("body: malformed JSON"
            + (where.isEmpty() ? "" : " at " + where)
            + (l == null ? "" : " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")")
            + ": " + e.getOriginalMessage());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail to read
    }
  }

  private static List<ZipkinSpan> spans(JsonParser p) throws IOException, ZipkinFormatException {
    JsonToken t = p.nextToken();
    if (t != JsonToken.START_ARRAY) {
      throw new ZipkinFormatException("body: " + describe(t)
          + " (expected: a JSON array of Zipkin v2 spans)");
    }
    List<ZipkinSpan> spans = new ArrayList<>();
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      String at = "spans[" + spans.size() + "]";
      if (t != JsonToken.START_OBJECT) {
        throw new ZipkinFormatException(at + ": " + describe(t) + " (expected: a span object)");
      }
      spans.add(span(p, at));
    }
    if (p.nextToken() != null) {
      throw new ZipkinFormatException("body: content after the span list (expected: one array)");
    }
    return spans;
  }

  private static ZipkinSpan span(JsonParser p, String at)
      throws IOException, ZipkinFormatException {
    ZipkinSpanBuilder b = new ZipkinSpanBuilder(at);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      String f = at + "." + field;
      p.nextToken();
      switch (field) {
        case "traceId" -> b.traceId = ZipkinIds.traceId(f, string(p, f));
        case "id" -> b.id = ZipkinIds.spanId(f, string(p, f));
        case "parentId" -> b.parentId = ZipkinIds.parentId(f, string(p, f));
        case "kind" -> b.kind = kind(f, string(p, f));
        case "name" -> b.name = orEmpty(string(p, f));
        case "timestamp" -> b.timestamp = micros(p, f);
        case "duration" -> b.duration = micros(p, f);
        case "localEndpoint" -> b.localEndpoint = endpoint(p, f);
        case "remoteEndpoint" -> b.remoteEndpoint = endpoint(p, f);
        case "annotations" -> annotations(p, f, b);
        case "tags" -> tags(p, f, b);
        case "debug" -> b.debug = bool(p, f);
        case "shared" -> b.shared = bool(p, f);
        default -> p.skipChildren();
      }
    }
    return b.build();
  }

  private static ZipkinSpan.@Nullable Kind kind(String f, @Nullable String value)
      throws ZipkinFormatException {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return ZipkinSpan.Kind.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ZipkinFormatException(f + ": " + ZipkinIds.quote(value)
          + " (expected: CLIENT, SERVER, PRODUCER or CONSUMER)");
    }
  }

  private static ZipkinSpan.@Nullable Endpoint endpoint(JsonParser p, String at)
      throws IOException, ZipkinFormatException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, JsonToken.START_OBJECT, at, "an endpoint object");
    String service = "";
    String ipv4 = "";
    String ipv6 = "";
    int port = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      String f = at + "." + field;
      p.nextToken();
      switch (field) {
        case "serviceName" -> service = orEmpty(string(p, f));
        case "ipv4" -> ipv4 = orEmpty(string(p, f));
        case "ipv6" -> ipv6 = orEmpty(string(p, f));
        case "port" -> {
          long v = p.currentToken() == JsonToken.VALUE_NULL ? 0 : integer(p, f);
          if (v < 0 || v > 65535) {
            throw new ZipkinFormatException(f + ": " + v + " (expected: 0-65535)");
          }
          port = (int) v;
        }
        default -> p.skipChildren();
      }
    }
    return new ZipkinSpan.Endpoint(service, ipv4, ipv6, port);
  }

  private static void annotations(JsonParser p, String at, ZipkinSpanBuilder b)
      throws IOException, ZipkinFormatException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return;
    }
    expect(p, JsonToken.START_ARRAY, at, "an array of annotations");
    int i = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      String a = at + "[" + i++ + "]";
      expect(p, JsonToken.START_OBJECT, a, "an annotation object");
      long timestamp = 0;
      String value = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "timestamp" -> timestamp = micros(p, a + ".timestamp");
          case "value" -> value = string(p, a + ".value");
          default -> p.skipChildren();
        }
      }
      if (value == null) {
        throw new ZipkinFormatException(a + ".value: missing (expected: a string)");
      }
      b.annotation(timestamp, value);
    }
  }

  private static void tags(JsonParser p, String at, ZipkinSpanBuilder b)
      throws IOException, ZipkinFormatException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return;
    }
    expect(p, JsonToken.START_OBJECT, at, "an object of string values");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken v = p.nextToken();
      if (v == JsonToken.VALUE_NULL) {
        continue;
      }
      // Zipkin's tags are strings; numbers and booleans some clients send are kept as text.
      if (!v.isScalarValue()) {
        throw new ZipkinFormatException(at + "." + key + ": " + describe(v)
            + " (expected: a string)");
      }
      b.tag(key, p.getText());
    }
  }

  private static @Nullable String string(JsonParser p, String f)
      throws IOException, ZipkinFormatException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, JsonToken.VALUE_STRING, f, "a string");
    return p.getText();
  }

  private static boolean bool(JsonParser p, String f) throws IOException, ZipkinFormatException {
    return switch (p.currentToken()) {
      case VALUE_TRUE -> true;
      case VALUE_FALSE, VALUE_NULL -> false;
      default -> throw new ZipkinFormatException(f + ": " + describe(p.currentToken())
          + " (expected: true or false)");
    };
  }

  /** Epoch or duration microseconds: a whole number >= 0 (absent: 0). */
  private static long micros(JsonParser p, String f) throws IOException, ZipkinFormatException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return 0;
    }
    long v = integer(p, f);
    if (v < 0) {
      throw new ZipkinFormatException(f + ": " + v + " (expected: microseconds >= 0)");
    }
    return v;
  }

  private static long integer(JsonParser p, String f) throws IOException, ZipkinFormatException {
    JsonToken t = p.currentToken();
    try {
      if (t == JsonToken.VALUE_NUMBER_INT) {
        return p.getLongValue();
      }
      if (t == JsonToken.VALUE_NUMBER_FLOAT) {
        double d = p.getDoubleValue();
        if (d == Math.rint(d) && Math.abs(d) < 0x1p62) {
          return (long) d;
        }
      } else if (t == JsonToken.VALUE_STRING) {
        return Long.parseLong(p.getText().trim()); // Zipkin reads quoted numbers too
      }
    } catch (JsonProcessingException | NumberFormatException e) {
      // out of range or not a number: refused below, naming the field
    }
    throw new ZipkinFormatException(f + ": " + describe(t) + (t.isScalarValue()
        ? " " + ZipkinIds.quote(p.getText()) : "") + " (expected: a whole number)");
  }

  private static void expect(JsonParser p, JsonToken expected, String f, String what)
      throws ZipkinFormatException {
    JsonToken t = p.currentToken();
    if (t != expected) {
      throw new ZipkinFormatException(f + ": " + describe(t) + " (expected: " + what + ")");
    }
  }

  private static String describe(@Nullable JsonToken t) {
    if (t == null) {
      return "empty body";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.name();
    };
  }

  private static String orEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }
}
