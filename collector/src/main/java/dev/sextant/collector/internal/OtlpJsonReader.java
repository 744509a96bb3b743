package dev.sextant.collector.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OTLP/JSON straight into a protobuf builder, in one pass over Jackson's tokens: no JSON tree, no
 * re-serialised text, no second parser. The mapping is protobuf's JSON mapping as the OTLP
 * specification amends it (hex trace and span IDs; lowerCamelCase or snake_case keys; int64 as
 * string or number; enums by name or number; unknown keys ignored). See {@link JsonValues} for
 * the scalars.
 *
 * <p>Like {@link LenientOtlpParser} for protobuf, one bad item (a span, log record or metric
 * whose value has the wrong type, say) rejects only that item: the request → resource groups
 * (field 1) → scope groups (field 2) → items (field 2) nesting is the same for all three signals.
 * Malformed JSON, or a bad value outside an item, rejects the whole request.
 */
final class OtlpJsonReader {
  /** Protobuf's own JSON parser stops at this depth too. */
  static final int MAX_DEPTH = 100;
  private static final JsonFactory JSON = new JsonFactory();
  private static final Map<Descriptor, Map<String, FieldDescriptor>> FIELDS =
      new ConcurrentHashMap<>();

  private final String itemName;
  private long rejected;
  private String firstError;

  private OtlpJsonReader(String itemName) {
    this.itemName = itemName;
  }

  /**
   * Reads {@code json} into {@code request}, leaving out the items that do not read.
   *
   * @param itemName what an item is called in the error message ("span", ...)
   * @throws InvalidProtocolBufferException when the body is not JSON, not an object, or has a bad
   *     value outside the items; the message names the place
   */
  static <R extends Message> LenientOtlpParser.Parsed<R> read(byte[] json,
      Message.Builder request, String itemName) throws InvalidProtocolBufferException {
    OtlpJsonReader r = new OtlpJsonReader(itemName);
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidProtocolBufferException("malformed JSON: expected an object");
      }
      r.message(p, request, "", 0);
      if (p.nextToken() != null) {
        throw new InvalidProtocolBufferException("malformed JSON: content after the object");
      }
    } catch (JsonProcessingException e) {
      String m = e.getOriginalMessage();
      int noise = m.indexOf(" (for ");  // "(for Object starting at [Source: REDACTED ...])"
      JsonLocation at = e.getLocation();
      throw new InvalidProtocolBufferException("malformed JSON"
          + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
          + ": " + (noise > 0 ? m.substring(0, noise) : m));
    } catch (BadValueException e) {
      throw new InvalidProtocolBufferException(e.getMessage());
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
    @SuppressWarnings("unchecked")
    R built = (R) request.build();
    return new LenientOtlpParser.Parsed<>(built, r.rejected, r.firstError);
  }

  /** The fields of an object whose START_OBJECT is the current token, up to its END_OBJECT. */
  private void message(JsonParser p, Message.Builder b, String path, int depth)
      throws IOException {
    if (depth > MAX_DEPTH) {
      throw new BadValueException(path + ": nested deeper than " + MAX_DEPTH);
    }
    Map<String, FieldDescriptor> fields = fieldsOf(b.getDescriptorForType());
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String key = p.currentName();
      FieldDescriptor fd = fields.get(key);
      JsonToken v = p.nextToken();
      if (fd == null || v == JsonToken.VALUE_NULL) {
        p.skipChildren(); // unknown keys are ignored; null is the default value
        continue;
      }
      String at = path.isEmpty() ? key : path + "." + key;
      if (fd.isMapField()) {
        throw new BadValueException(at + ": map fields are not part of OTLP");
      }
      if (!fd.isRepeated()) {
        b.setField(fd, value(p, b, fd, at, depth));
        continue;
      }
      if (v != JsonToken.START_ARRAY) {
        throw new BadValueException(at + ": " + found(p) + " (expected: an array)");
      }
      // The items of a scope group: ScopeSpans.spans, ScopeLogs.log_records, ScopeMetrics.metrics.
      boolean items = depth == 2 && fd.getNumber() == 2
          && fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
      int i = 0;
      for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken(), i++) {
        String elementAt = at + "[" + i + "]";
        if (items) {
          item(p, b, fd, elementAt, depth);
        } else {
          b.addRepeatedField(fd, value(p, b, fd, elementAt, depth));
        }
      }
    }
  }

  /** One item of a scope group: kept when it reads, skipped and counted when it does not. */
  private void item(JsonParser p, Message.Builder b, FieldDescriptor fd, String at, int depth)
      throws IOException {
    JsonToken t = p.currentToken();
    JsonStreamContext array = t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY
        ? p.getParsingContext().getParent() : p.getParsingContext();
    Object item;
    try {
      item = value(p, b, fd, at, depth);
    } catch (BadValueException e) {
      rejected++;
      if (firstError == null) {
        firstError = itemName + ": " + e.getMessage();
      }
      skipTo(p, array);
      return;
    }
    b.addRepeatedField(fd, item);
  }

  /** Skips to the end of the element of {@code array} the parser is inside or at. */
  private static void skipTo(JsonParser p, JsonStreamContext array) throws IOException {
    while (p.getParsingContext() != array) {
      if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
        p.skipChildren();
      }
      if (p.getParsingContext() == array) {
        break;
      }
      if (p.nextToken() == null) {
        throw new InvalidProtocolBufferException("malformed JSON: unexpected end of input");
      }
    }
  }

  private Object value(JsonParser p, Message.Builder parent, FieldDescriptor fd, String at,
      int depth) throws IOException {
    if (fd.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      return JsonValues.scalar(p, fd, at);
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new BadValueException(at + ": " + found(p) + " (expected: an object)");
    }
    Message.Builder sub = parent.newBuilderForField(fd);
    message(p, sub, at, depth + 1);
    return sub.build();
  }

  static String found(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "'" + JsonValues.cut(p.getText()) + "'";
      default -> p.getText();
    };
  }

  /** A field's JSON name and its proto name both find it. */
  private static Map<String, FieldDescriptor> fieldsOf(Descriptor d) {
    return FIELDS.computeIfAbsent(d, x -> {
      Map<String, FieldDescriptor> m = new HashMap<>();
      for (FieldDescriptor f : x.getFields()) {
        m.put(f.getName(), f);
        m.put(f.getJsonName(), f);
      }
      return Map.copyOf(m);
    });
  }

  /** A value of the wrong type or out of range, at a named place. */
  static final class BadValueException extends IOException {
    private static final long serialVersionUID = 1L;

    BadValueException(String message) {
      super(message);
    }
  }
}
