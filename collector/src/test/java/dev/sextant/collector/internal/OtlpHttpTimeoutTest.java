package dev.sextant.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sextant.collector.Collector;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A storage write slower than the request timeout is a retryable refusal, not a bare 503. */
class OtlpHttpTimeoutTest {
  @Test
  void serve_storageSlowerThanRequestTimeout_answers503WithRetryAfterAndStatusBody() {
    // Storage that never finishes its sync: the request can only end by its timeout.
    Collector collector = Collector.builder().spanConsumer(spans -> new CompletableFuture<>())
        .redMetricsInterval(java.time.Duration.ZERO).build();
    ServerBuilder sb = Server.builder().http(0).requestTimeoutMillis(300);
    collector.bindHttp(sb.defaultVirtualHost());
    Server server = sb.build();
    server.start().join();
    try {
      String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":"
          + "\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\","
          + "\"name\":\"x\",\"startTimeUnixNano\":\"1\",\"endTimeUnixNano\":\"2\"}]}]}]}";
      AggregatedHttpResponse r = WebClient.of("http://127.0.0.1:" + server.activeLocalPort())
          .execute(RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
              .contentType(MediaType.JSON).build(), json).aggregate().join();
      assertThat(r.status().code()).isEqualTo(503);
      assertThat(r.headers().get("retry-after")).isEqualTo("1");
      assertThat(r.contentUtf8()).contains("\"code\":14").contains("timed out waiting for"
          + " storage");
    } finally {
      server.stop().join();
      collector.close();
    }
  }
}
