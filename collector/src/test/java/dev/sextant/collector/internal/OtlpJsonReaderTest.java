package dev.sextant.collector.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.InputStream;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one-pass OTLP/JSON reader against protobuf's own JSON parser (after turning hex IDs into
 * base64, which is what the reader replaced), on the specification's examples and on the edges of
 * the mapping; and its per-item salvage.
 */
class OtlpJsonReaderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String TRACE = "5b8efff798038103d269b633813fc60c";
  private static final String SPAN = "eee19b7ec3c1b174";

  @ParameterizedTest
  @CsvSource({"trace.json, traces", "logs.json, logs", "metrics.json, metrics"})
  void read_specificationExamplesMatchProtobufsParser(String file, String signal)
      throws Exception {
    byte[] json;
    try (InputStream in = getClass().getResourceAsStream("/otlp/" + file)) {
      json = in.readAllBytes();
    }
    Supplier<Message.Builder> builder = switch (signal) {
      case "traces" -> ExportTraceServiceRequest::newBuilder;
      case "logs" -> ExportLogsServiceRequest::newBuilder;
      default -> ExportMetricsServiceRequest::newBuilder;
    };
    LenientOtlpParser.Parsed<Message> parsed = OtlpJson.read(json, builder.get(), "item");

    assertThat(parsed.rejected()).isZero();
    assertThat(parsed.request()).isEqualTo(viaProtobuf(json, builder.get()));
  }

  @Test
  void read_takesEitherKeyCaseStringOrNumberIntegersAndEnumNamesOrNumbers() throws Exception {
    String camel = request("{\"traceId\":\"" + TRACE + "\",\"spanId\":\"" + SPAN + "\","
        + "\"name\":\"a\",\"kind\":\"SPAN_KIND_SERVER\",\"startTimeUnixNano\":\"1700000000000000001\","
        + "\"endTimeUnixNano\":1700000000000000002,\"droppedAttributesCount\":3,"
        + "\"status\":{\"code\":2},\"flags\":\"256\"}");
    String snake = request("{\"trace_id\":\"" + TRACE + "\",\"span_id\":\"" + SPAN + "\","
        + "\"name\":\"a\",\"kind\":2,\"start_time_unix_nano\":1700000000000000001,"
        + "\"end_time_unix_nano\":\"1700000000000000002\",\"dropped_attributes_count\":\"3\","
        + "\"status\":{\"code\":\"STATUS_CODE_ERROR\"},\"flags\":256.0,\"unknownKey\":[{}]}");

    Span a = onlySpan(camel);
    assertThat(a).isEqualTo(onlySpan(snake));
    assertThat(a).isEqualTo(onlySpanViaProtobuf(camel));
    assertThat(HexFormat.of().formatHex(a.getTraceId().toByteArray())).isEqualTo(TRACE);
    assertThat(a.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(a.getStartTimeUnixNano()).isEqualTo(1700000000000000001L);
    assertThat(a.getFlags()).isEqualTo(256);
  }

  @Test
  void read_keepsUnsigned64BitValuesAboveLongMax() throws Exception {
    Span s = onlySpan(request("{\"traceId\":\"" + TRACE + "\",\"spanId\":\"" + SPAN + "\","
        + "\"startTimeUnixNano\":\"18446744073709551615\",\"endTimeUnixNano\":1e3}"));
    assertThat(s.getStartTimeUnixNano()).isEqualTo(-1L); // 2^64 - 1, as protobuf holds it
    assertThat(s.getEndTimeUnixNano()).isEqualTo(1000);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // int64 (intValue) as a string, as OTLP/JSON writes it, and as a number
      "\"9223372036854775807\" | 9223372036854775807",
      "9223372036854775807 | 9223372036854775807",
      "\"-9223372036854775808\" | -9223372036854775808",
      "-9223372036854775808 | -9223372036854775808",
      "\"007\" | 7",
      "\"-0000000000000000000009223372036854775808\" | -9223372036854775808",
      "\"+5\" | 5",
      "\" 5\" | 5",
      "\"-0\" | 0",
      "\"1e3\" | 1000",
      "1e3 | 1000",
      "\"5.0\" | 5",
      "-7.0e2 | -700"})
  void read_int64AsNumberOrStringAtTheEdges(String value, long expected) throws Exception {
    Span s = onlySpan(request("{\"traceId\":\"" + TRACE + "\",\"spanId\":\"" + SPAN + "\","
        + "\"attributes\":[{\"key\":\"i\",\"value\":{\"intValue\":" + value + "}}]}"));
    assertThat(s.getAttributes(0).getValue().getIntValue()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"9223372036854775808\"", "9223372036854775808",
      "\"-9223372036854775809\"", "\"00009223372036854775808\"", "\"1.5\"", "\"\"", "\"-\""})
  void read_int64OutOfRangeOrNotAnInteger_dropsTheItemNamingTheField(String value)
      throws Exception {
    LenientOtlpParser.Parsed<ExportTraceServiceRequest> p = OtlpJson.read(request(
        "{\"traceId\":\"" + TRACE + "\",\"spanId\":\"" + SPAN + "\",\"attributes\":[{\"key\":"
            + "\"i\",\"value\":{\"intValue\":" + value + "}}]}").getBytes(UTF_8),
        ExportTraceServiceRequest.newBuilder(), "span");
    String shown = value.startsWith("\"")
        ? "'" + value.substring(1, value.length() - 1) + "'" : value;
    assertThat(p.rejected()).as(value).isEqualTo(1);
    assertThat(p.errorMessage()).startsWith("span: resourceSpans[0].scopeSpans[0].spans[0]"
        + ".attributes[0].value.intValue: " + shown + " (expected: an integer");
  }

  @Test
  void isLongText_takesExactlyWhatLongParseLongTakes() {
    for (String s : new String[] {"0", "-0", "+0", "7", "007", "+5", "-5", "", "-", "+", "--1",
        "1-", " 5", "5 ", "1e3", "1.0", "0x10", "\u0661\u0662", "-\u0661",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "-9223372036854775809", "00000000000000000000009223372036854775807",
        "00000000000000000000009223372036854775808", "9223372036854775799",
        "9323372036854775807", "99999999999999999999", "1000000000000000000",
        "-1000000000000000000"}) {
      boolean parses;
      try {
        Long.parseLong(s);
        parses = true;
      } catch (NumberFormatException e) {
        parses = false;
      }
      assertThat(JsonValues.isLongText(s)).as("'%s'", s).isEqualTo(parses);
    }
  }

  @Test
  void read_attributeValuesOfEveryKind() throws Exception {
    String json = request("{\"traceId\":\"" + TRACE + "\",\"spanId\":\"" + SPAN + "\","
        + "\"attributes\":[{\"key\":\"s\",\"value\":{\"stringValue\":\"x\"}},"
        + "{\"key\":\"i\",\"value\":{\"intValue\":\"-7\"}},"
        + "{\"key\":\"d\",\"value\":{\"doubleValue\":\"NaN\"}},"
        + "{\"key\":\"b\",\"value\":{\"boolValue\":true}},"
        + "{\"key\":\"y\",\"value\":{\"bytesValue\":\"" + SPAN + "\"}},"
        + "{\"key\":\"a\",\"value\":{\"arrayValue\":{\"values\":[{\"intValue\":1}]}}},"
        + "{\"key\":\"k\",\"value\":{\"kvlistValue\":{\"values\":[{\"key\":\"n\","
        + "\"value\":{\"stringValue\":\"v\"}}]}}}]}");
    Span s = onlySpan(json);
    assertThat(s).isEqualTo(onlySpanViaProtobuf(json));
    // bytes other than IDs are base64, as protobuf's mapping says
    assertThat(s.getAttributes(4).getValue().getBytesValue().toByteArray())
        .isEqualTo(Base64.getDecoder().decode(SPAN));
    assertThat(s.getAttributes(2).getValue().getDoubleValue()).isNaN();
  }

  @Test
  void read_dropsOnlyTheItemWithABadValue() throws Exception {
    String good = "{\"traceId\":\"" + TRACE + "\",\"spanId\":\"" + SPAN + "\",\"name\":\"ok\"}";
    String bad = "{\"traceId\":\"" + TRACE + "\",\"spanId\":\"" + SPAN + "\",\"name\":\"bad\","
        + "\"events\":[{\"timeUnixNano\":\"soon\",\"attributes\":[{\"key\":\"k\"}]}],"
        + "\"links\":[{\"traceId\":\"" + TRACE + "\"}]}";
    String notAnObject = "\"a span\"";
    LenientOtlpParser.Parsed<ExportTraceServiceRequest> p = OtlpJson.read(
        request(good + "," + bad + "," + notAnObject + "," + good).getBytes(UTF_8),
        ExportTraceServiceRequest.newBuilder(), "span");

    assertThat(p.request().getResourceSpans(0).getScopeSpans(0).getSpansList())
        .extracting(Span::getName).containsExactly("ok", "ok");
    assertThat(p.rejected()).isEqualTo(2);
    assertThat(p.errorMessage()).isEqualTo("span: resourceSpans[0].scopeSpans[0].spans[1]"
        + ".events[0].timeUnixNano: 'soon' (expected: an integer)");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[] | malformed JSON: expected an object",
      "{\"resourceSpans\":[{]} | malformed JSON at line 1, column 20: Unexpected close "
          + "marker ']': expected '}'",
      "{} {} | malformed JSON: content after the object",
      "{\"resourceSpans\":{}} | resourceSpans: an object (expected: an array)",
      "{\"resourceSpans\":[{\"resource\":{\"droppedAttributesCount\":-1}}]} | "
          + "resourceSpans[0].resource.droppedAttributesCount: -1 (expected: an integer from 0 "
          + "to 4294967295)",
      "{\"resourceSpans\":[{\"schemaUrl\":7}]} | resourceSpans[0].schemaUrl: 7 (expected: a "
          + "string)"})
  void read_refusesTheWholeRequestOutsideItems(String json, String message) {
    assertThatThrownBy(() -> OtlpJson.read(json.getBytes(UTF_8),
        ExportTraceServiceRequest.newBuilder(), "span"))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessage(message);
  }

  @Test
  void read_refusesNestingDeeperThanProtobufDoes() {
    String value = "{\"stringValue\":\"x\"}";
    for (int i = 0; i < 60; i++) {
      value = "{\"arrayValue\":{\"values\":[" + value + "]}}";
    }
    String json = request("{\"traceId\":\"" + TRACE + "\",\"spanId\":\"" + SPAN + "\","
        + "\"attributes\":[{\"key\":\"deep\",\"value\":" + value + "}]}");
    LenientOtlpParser.Parsed<ExportTraceServiceRequest> p;
    try {
      p = OtlpJson.read(json.getBytes(UTF_8), ExportTraceServiceRequest.newBuilder(), "span");
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
    assertThat(p.rejected()).isEqualTo(1);
    assertThat(p.errorMessage()).contains("nested deeper than " + OtlpJsonReader.MAX_DEPTH);
  }

  @Test
  void read_refusesNumbersThatWouldCostTooMuchToCheck() throws Exception {
    for (String n : new String[] {"\"1e999999999\"", "\"1e-999999999\"", "1e999"}) {
      LenientOtlpParser.Parsed<ExportTraceServiceRequest> p = OtlpJson.read(request(
          "{\"traceId\":\"" + TRACE + "\",\"spanId\":\"" + SPAN + "\",\"startTimeUnixNano\":"
              + n + "}").getBytes(UTF_8), ExportTraceServiceRequest.newBuilder(), "span");
      assertThat(p.rejected()).as(n).isEqualTo(1);
    }
  }

  private static String request(String spans) {
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
        + "\"value\":{\"stringValue\":\"web\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"s\"},"
        + "\"spans\":[" + spans + "]}]}]}";
  }

  private static Span onlySpan(String json) throws InvalidProtocolBufferException {
    LenientOtlpParser.Parsed<ExportTraceServiceRequest> p = OtlpJson.read(json.getBytes(UTF_8),
        ExportTraceServiceRequest.newBuilder(), "span");
    assertThat(p.rejected()).as(p.errorMessage()).isZero();
    return p.request().getResourceSpans(0).getScopeSpans(0).getSpans(0);
  }

  private static Span onlySpanViaProtobuf(String json) throws Exception {
    ExportTraceServiceRequest r = (ExportTraceServiceRequest) viaProtobuf(json.getBytes(UTF_8),
        ExportTraceServiceRequest.newBuilder());
    return r.getResourceSpans(0).getScopeSpans(0).getSpans(0);
  }

  /** What the reader replaced: a JSON tree, hex IDs turned into base64, protobuf's parser. */
  private static Message viaProtobuf(byte[] json, Message.Builder b) throws Exception {
    JsonNode tree = MAPPER.readTree(json);
    hexIdsToBase64(tree);
    JsonFormat.parser().ignoringUnknownFields().merge(tree.toString(), b);
    return b.build();
  }

  private static void hexIdsToBase64(JsonNode node) {
    if (node instanceof ObjectNode obj) {
      Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().matches("traceId|spanId|parentSpanId|trace_id|span_id|parent_span_id")
            && e.getValue().isTextual()) {
          e.setValue(TextNode.valueOf(Base64.getEncoder().encodeToString(
              HexFormat.of().parseHex(e.getValue().asText()))));
        } else {
          hexIdsToBase64(e.getValue());
        }
      }
    } else if (node != null) {
      node.forEach(OtlpJsonReaderTest::hexIdsToBase64);
    }
  }
}
