package dev.sextant.samples.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Calls to another shop service with the JDK client (the agent instruments it: client spans,
 * {@code traceparent}, {@code baggage} and {@code X-Correlation-ID} go out on their own).
 */
public final class Downstream {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final String baseUrl;
  private final Duration timeout;

  public Downstream(String baseUrl, Duration timeout) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.timeout = timeout;
  }

  /** Sends the request; an unreachable service is an {@link IOException}. */
  public Reply send(String method, String path, byte[] body, String contentType)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
    if (body == null || body.length == 0) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
      b.header("Content-Type", contentType == null ? "application/json" : contentType);
    }
    HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    return Reply.raw(r.statusCode(), r.body(),
        r.headers().firstValue("Content-Type").orElse(null));
  }

  public Reply postJson(String path, Object value) throws IOException, InterruptedException {
    return send("POST", path, Reply.JSON.writeValueAsBytes(value), "application/json");
  }
}
