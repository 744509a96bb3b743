package dev.sextant.bench.load;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import java.time.Duration;

/** Zipkin's v2 HTTP collector: {@code POST /api/v2/spans} with a proto3 {@code ListOfSpans}. */
final class ZipkinHttpTarget implements IngestTarget {
  private static final MediaType X_PROTOBUF = MediaType.parse("application/x-protobuf");
  private final ZipkinEncoder encoder;
  private final WebClient client;

  ZipkinHttpTarget(String host, int port, SpanShape shape) {
    encoder = new ZipkinEncoder(shape);
    client = WebClient.builder("http://" + host + ":" + port)
        .responseTimeout(Duration.ofSeconds(30))
        .maxResponseLength(64L << 20)
        .build();
  }

  @Override
  public String name() {
    return "zipkin";
  }

  @Override
  public Object encode(SpanBatch batch) {
    return encoder.encode(batch);
  }

  @Override
  public long send(Object payload) {
    RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, "/api/v2/spans")
        .contentType(X_PROTOBUF).build();
    AggregatedHttpResponse r =
        client.execute(headers, HttpData.wrap((byte[]) payload)).aggregate().join();
    if (r.status().code() != 202 && r.status().code() != 200) {
      throw new IllegalStateException("zipkin answered " + r.status() + ": " + r.contentUtf8());
    }
    return 0;
  }

  @Override
  public void close() {}
}
