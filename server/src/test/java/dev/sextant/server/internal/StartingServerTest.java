package dev.sextant.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import org.junit.jupiter.api.Test;

class StartingServerTest {
  @Test
  void start_livenessUpReadinessAndEverythingElse503WithRetryAfter() {
    int[] ports = FreePorts.resolveAll("127.0.0.1", 0, 0, 0);
    Server s = StartingServer.start("127.0.0.1", ports, null, null, null);
    try {
      for (int port : ports) {
        WebClient c = WebClient.of("http://127.0.0.1:" + port);
        assertThat(c.get("/-/healthy").aggregate().join().status().code()).isEqualTo(200);
        AggregatedHttpResponse ready = c.get("/-/ready").aggregate().join();
        assertThat(ready.status().code()).isEqualTo(503);
        assertThat(ready.contentUtf8()).isEqualTo(Probes.STARTING);
        AggregatedHttpResponse otlp = c.execute(RequestHeaders
            .builder(HttpMethod.POST, "/v1/traces").contentType(MediaType.PROTOBUF).build(),
            new byte[] {1}).aggregate().join();
        assertThat(otlp.status().code()).isEqualTo(503);
        assertThat(otlp.headers().get("retry-after")).isEqualTo("5");
        assertThat(otlp.contentUtf8()).contains("storage is opening");
      }
    } finally {
      s.stop().join();
    }
  }
}
