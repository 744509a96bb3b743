package dev.sextant.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A plain JDK HTTP client for the query API, as any user's script would use. */
final class TestClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * HTTP/1.1: tests start and stop many servers on ephemeral ports, and an HTTP/2 connection the
   * shared client pooled for a stopped server failed a later request with "EOF reached while
   * reading" (HealthAndSelfMetricsTest, once); the JDK retries a GET on an expired HTTP/1.1
   * connection instead.
   */
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  record Response(int status, JsonNode json, String body) {}

  private TestClient() {}

  static Response get(int port, String path) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      try {
        json = JSON.readTree(r.body());
      } catch (IOException ignored) {
        // not JSON
      }
      return new Response(r.statusCode(), json, r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
