package dev.sextant.samples.internal;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics} in the Prometheus text format on its own port, served from a plain socket
 * on purpose: the agent instruments the JDK HTTP server, and scrapes every few seconds would
 * otherwise flood Sextant with one trace per scrape. One request per connection.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final ServerSocket socket;
  private final PrometheusRegistry registry;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  public MetricsEndpoint(int port, PrometheusRegistry registry) throws IOException {
    this.socket = new ServerSocket(port, 16, InetAddress.getLoopbackAddress());
    this.registry = registry;
    Thread t = new Thread(this::serve, "metrics-endpoint");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return socket.getLocalPort();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket s = socket.accept()) {
        s.setSoTimeout(5_000);
        answer(s);
      } catch (IOException e) {
        // a broken scrape connection; the next scrape opens a new one
      }
    }
  }

  private void answer(Socket s) throws IOException {
    BufferedReader in = new BufferedReader(
        new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
    String requestLine = in.readLine();
    String line;
    while ((line = in.readLine()) != null && !line.isEmpty()) {
      // headers are not needed: one format is served whatever is asked
    }
    byte[] body;
    String status;
    String type;
    if (requestLine != null && requestLine.startsWith("GET /metrics")) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      writer.write(buf, registry.scrape());
      body = buf.toByteArray();
      status = "200 OK";
      type = writer.getContentType();
    } else {
      body = "not found (try GET /metrics)\n".getBytes(StandardCharsets.UTF_8);
      status = "404 Not Found";
      type = "text/plain; charset=utf-8";
    }
    OutputStream out = s.getOutputStream();
    out.write(("HTTP/1.1 " + status + "\r\nContent-Type: " + type + "\r\nContent-Length: "
        + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
