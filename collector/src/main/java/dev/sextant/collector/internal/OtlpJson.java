package dev.sextant.collector.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * OTLP/JSON as the specification defines it: the protobuf JSON mapping, except that trace and
 * span IDs are hex strings instead of base64. Keys may be lowerCamelCase or the original
 * snake_case; int64 values may be strings or numbers; enums may be integers.
 */
public final class OtlpJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> ID_KEYS = Set.of("traceId", "spanId", "parentSpanId",
      "trace_id", "span_id", "parent_span_id");
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
      .omittingInsignificantWhitespace();

  private OtlpJson() {}

  /**
   * Parses {@code json} into {@code builder}.
   *
   * @throws InvalidProtocolBufferException with a message naming the problem
   */
  public static void merge(byte[] json, Message.Builder builder)
      throws InvalidProtocolBufferException {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidProtocolBufferException("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
    if (tree == null || !tree.isObject()) {
      throw new InvalidProtocolBufferException("malformed JSON: expected an object");
    }
    hexIdsToBase64(tree);
    PARSER.merge(tree.toString(), builder);
  }

  public static String print(Message message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void hexIdsToBase64(JsonNode node) {
    if (node instanceof ObjectNode obj) {
      Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        if (ID_KEYS.contains(e.getKey()) && v.isTextual()) {
          e.setValue(TextNode.valueOf(toBase64IfHex(v.asText())));
        } else {
          hexIdsToBase64(v);
        }
      }
    } else if (node instanceof ArrayNode arr) {
      for (JsonNode child : arr) {
        hexIdsToBase64(child);
      }
    }
  }

  /** Hex becomes base64 for the protobuf mapping; anything else is left for validation to catch. */
  private static String toBase64IfHex(String s) {
    if (s.isEmpty() || s.length() % 2 != 0) {
      return s;
    }
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(s.charAt(2 * i), 16);
      int lo = Character.digit(s.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        return s;
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return Base64.getEncoder().encodeToString(out);
  }
}
