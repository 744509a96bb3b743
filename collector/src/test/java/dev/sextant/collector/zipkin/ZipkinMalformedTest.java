package dev.sextant.collector.zipkin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bodies that are not Zipkin v2 JSON: refused whole, the message naming the field. */
class ZipkinMalformedTest {
  private static final String OK = "\"traceId\": \"5af7183fb1d4cf5f\", \"id\": \"352bff9a74ca9ad2\"";

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "``| body: empty body (expected: a JSON array of Zipkin v2 spans)",
      "{}| body: an object (expected: a JSON array of Zipkin v2 spans)",
      "[1]| spans[0]: a number (expected: a span object)",
      "[{\"id\": \"352bff9a74ca9ad2\"}]| spans[0].traceId: missing",
      "[{\"traceId\": \"5af7183fb1d4cf5f\"}]| spans[0].id: missing",
      "[{OK}, {\"traceId\": \"xyz\", \"id\": \"1\"}]| spans[1].traceId: 'xyz' (expected: 16 or 32 hex",
      "[{\"traceId\": \"00000000000000000000000000000000\", \"id\": \"1\"}]| spans[0].traceId: '0000",
      "[{\"traceId\": 5, \"id\": \"1\"}]| spans[0].traceId: a number (expected: a string)",
      "[{OK, \"id\": \"12345678901234567\"}]| spans[0].id: '12345678901234567' (expected: 16 hex",
      "[{OK, \"parentId\": \"g\"}]| spans[0].parentId: 'g'",
      "[{OK, \"kind\": \"SERVERLESS\"}]| spans[0].kind: 'SERVERLESS' (expected: CLIENT, SERVER,",
      "[{OK, \"timestamp\": -1}]| spans[0].timestamp: -1 (expected: microseconds >= 0)",
      "[{OK, \"timestamp\": \"soon\"}]| spans[0].timestamp: a string 'soon' (expected: a whole",
      "[{OK, \"duration\": 1e30}]| spans[0].duration: a number '1e30' (expected: a whole number)",
      "[{OK, \"duration\": 99999999999999999999}]| spans[0].duration: a number",
      "[{OK, \"debug\": \"yes\"}]| spans[0].debug: a string (expected: true or false)",
      "[{OK, \"localEndpoint\": \"svc\"}]| spans[0].localEndpoint: a string (expected: an endpoint",
      "[{OK, \"remoteEndpoint\": {\"port\": 70000}}]| spans[0].remoteEndpoint.port: 70000 (expected: 0-65535)",
      "[{OK, \"tags\": {\"a\": {\"b\": 1}}}]| spans[0].tags.a: an object (expected: a string)",
      "[{OK, \"tags\": []}]| spans[0].tags: an array (expected: an object of string values)",
      "[{OK, \"annotations\": [{\"timestamp\": 1}]}]| spans[0].annotations[0].value: missing",
      "[{OK, \"annotations\": {}}]| spans[0].annotations: an object (expected: an array",
      "[{OK, \"name\": \"x\",}]| body: malformed JSON at /0",
      "[{OK}] []| body: content after the span list",
      "[{OK}]]| body: malformed JSON",
      "[{OK}| body: malformed JSON",
  })
  void fromJson_refusesNamingTheField(String body, String message) {
    byte[] bytes = body.replace("OK", OK).getBytes(UTF_8);
    assertThatThrownBy(() -> ZipkinSpans.fromJson(bytes))
        .isInstanceOf(ZipkinFormatException.class).hasMessageStartingWith(message.trim());
  }
}
