package dev.sextant.query.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sextant.query.promql.EngineOptions;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.query.signals.RedFixture;
import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Any request target (path and query string) sent to the query, Prometheus and Jaeger APIs on a
 * real Armeria server over real storage is answered without a 5xx: a bad parameter is a 400
 * naming it, an unknown thing a 404, a query over its limits a 422/400 — never a crash.
 *
 * <p>The input is the request target as text; bytes a URI cannot hold are percent-encoded, so
 * the fuzzer explores values rather than the client's URI checks. An input starting with
 * {@code POST } sends the query string as a form body instead (the Prometheus API accepts
 * both). Seeds in {@code QueryParamsFuzzTestInputs/}. To fuzz: {@code JAZZER_FUZZ=1 mvn -pl
 * query-api test -Dtest=QueryParamsFuzzTest -Djazzer.max_duration=10m}.
 */
class QueryParamsFuzzTest {
  private static final String T1 = "11111111111111111111111111111111";
  private static Path dir;
  private static Storage storage;
  private static Server server;
  private static WebClient client;

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("sextant-query-fuzz");
    storage = EmbeddedStorage.open(dir);
    storage.spanConsumer().accept(List.of(
        QueryApiEndToEndTest.span(T1, "f000000000000001", "", "frontend", "GET /cart",
            SpanKind.SERVER, 0, 300, StatusCode.UNSET, Map.of("http.route", "/cart")),
        QueryApiEndToEndTest.span(T1, "c000000000000001", "f000000000000001", "cart",
            "GET /items", SpanKind.SERVER, 20, 240, StatusCode.ERROR,
            Map.of("correlation_id", "corr-1")))).join();
    storage.logConsumer().accept(List.of(QueryApiEndToEndTest.log(200, 17, "ERROR",
        "payment declined", T1, "c000000000000001", "corr-1"))).join();
    storage.metricWriter().write(RedFixture.series("frontend", "GET /cart", "SPAN_KIND_SERVER",
        System.currentTimeMillis() - 600_000, 10, 1)).join();
    PromqlEngine engine = PromqlEngine.of(storage.metricReader(), EngineOptions.defaults());
    // No request timeout: under the fuzzer's instrumentation a slow answer is not a failure,
    // and Armeria's own timeout would answer 503.
    ServerBuilder sb = Server.builder().http(0).requestTimeoutMillis(0)
        .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO);
    // The Prometheus API and /api/traces/{traceId} are the query API's routes too.
    sb.service(QueryApi.builder().storage(storage).engine(engine).build());
    server = sb.build();
    server.start().join();
    client = WebClient.builder("http://127.0.0.1:" + server.activeLocalPort())
        .responseTimeoutMillis(60_000).build();
  }

  @AfterAll
  static void stop() throws IOException {
    server.stop().join();
    storage.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @FuzzTest(maxDuration = "5m")
  @DictionaryEntries({"/api/search?", "/api/logs?", "/api/services", "/operations",
      "/signals?", "/api/dependencies?", "/api/correlations/", "/api/traces/", "/logs?",
      "/api/v1/query?", "/api/v1/query_range?", "/api/v1/series?", "/api/v1/labels?",
      "/api/v1/label/", "/values?", "/jaeger/api/traces?", "/jaeger/api/dependencies?",
      "service=", "operation=", "tags=", "attr.", "minDuration=", "maxDuration=", "error=",
      "start=", "end=", "limit=", "sort=", "q=", "severity=", "traceId=", "spanId=",
      "correlationId=", "cursor=", "step=", "window=", "query=", "time=", "timeout=",
      "match[]=", "lookback=", "endTs=", "maxTraces=", "&", "%", "1h", "1.5s", "-1",
      "9223372036854775807", "2026-11-27T20:00:00Z", "NaN", "Inf", "[5m]", "{", "}"})
  void get_anyTarget_neverA5xx(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    boolean post = text.startsWith("POST ");
    String target = uriSafe(post ? text.substring(5) : text);
    if (!target.startsWith("/")) {
      target = "/" + target;
    }
    AggregatedHttpResponse r;
    try {
      r = send(post, target);
    } catch (IllegalArgumentException notSendable) {
      return; // the client refuses the target (e.g. %00 in the path): nothing reaches the server
    } catch (CompletionException e) {
      if (e.getCause() instanceof IllegalArgumentException) {
        return; // the same, reported through the response future
      }
      throw e;
    }
    assertThat(r.status().code()).as("%s %s -> %s", post ? "POST" : "GET", target,
        r.contentUtf8()).isLessThan(500);
  }

  private static AggregatedHttpResponse send(boolean post, String target) {
    AggregatedHttpResponse r;
    if (post) {
      int q = target.indexOf('?');
      String path = q < 0 ? target : target.substring(0, q);
      String form = q < 0 ? "" : target.substring(q + 1);
      r = client.execute(RequestHeaders.builder(HttpMethod.POST, path)
          .contentType(MediaType.FORM_DATA).build(), form).aggregate().join();
    } else {
      r = client.get(target).aggregate().join();
    }
    return r;
  }

  /** Percent-encodes what may not appear in a request target, and a stray '%'. */
  static String uriSafe(String s) {
    StringBuilder sb = new StringBuilder();
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean escape = b == '%' ? !(i + 2 < bytes.length && hex(bytes[i + 1]) && hex(bytes[i + 2]))
          : b <= 0x20 || b >= 0x7f || "\"<>\\^`{|}#".indexOf(b) >= 0;
      if (escape) {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      } else {
        sb.append((char) b);
      }
    }
    return sb.toString();
  }

  private static boolean hex(byte b) {
    return Character.digit(b, 16) >= 0;
  }
}
