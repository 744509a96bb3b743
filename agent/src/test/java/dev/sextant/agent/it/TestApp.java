package dev.sextant.agent.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application the agent is tested on; it knows nothing of OpenTelemetry. {@code back}: {@code
 * GET /orders} runs a JDBC query on an in-memory H2 database (through a HikariCP pool) and answers
 * {@code correlation=<X-Correlation-ID>;baggage=<baggage>;traceparent=<traceparent>;count=<n>}
 * with the headers as it received them.
 * {@code front}: {@code GET /checkout} calls the back service's {@code /orders} with {@link
 * HttpClient} and answers with its body. Prints {@code LISTENING <port>} once it serves.
 *
 * <p>Usage: {@code TestApp back <port>} or {@code TestApp front <port> <backBaseUrl|@file>}.
 */
public final class TestApp {
  private static final Logger log = LoggerFactory.getLogger(TestApp.class);

  public static void main(String[] args) throws Exception {
    String role = args[0];
    int port = Integer.parseInt(args[1]);
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    ExecutorService workers = Executors.newFixedThreadPool(16);
    server.setExecutor(workers);
    if ("back".equals(role)) {
      HikariDataSource db = openDatabase();
      server.createContext("/orders", exchange -> handleOrders(exchange, db));
    } else if ("front".equals(role)) {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String back = args[2];
      server.createContext("/checkout",
          exchange -> handleCheckout(exchange, client, URI.create(backUrl(back) + "/orders")));
    } else {
      throw new IllegalArgumentException("role: " + role + " (expected: front or back)");
    }
    server.start();
    System.out.println("LISTENING " + server.getAddress().getPort());
    System.out.flush();
  }

  /**
   * The back service's base URL: the argument itself, or with {@code @path} the content of that
   * file, read per request, so a front can start before the back has a port.
   */
  private static String backUrl(String arg) throws IOException {
    if (!arg.startsWith("@")) {
      return arg;
    }
    return Files.readString(Path.of(arg.substring(1)), StandardCharsets.UTF_8).trim();
  }

  private static HikariDataSource openDatabase() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:shop;DB_CLOSE_DELAY=-1");
    config.setUsername("sa");
    config.setPassword("");
    config.setMaximumPoolSize(8);
    config.setPoolName("shop");
    HikariDataSource db = new HikariDataSource(config);
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(64))");
      s.execute("INSERT INTO orders VALUES (1, 'compass'), (2, 'sextant'), (3, 'chart')");
    }
    return db;
  }

  private static void handleOrders(HttpExchange exchange, HikariDataSource db) throws IOException {
    try (exchange) {
      String correlation = exchange.getRequestHeaders().getFirst("X-Correlation-ID");
      String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
      String baggage = exchange.getRequestHeaders().getFirst("baggage");
      log.info("back: listing orders");
      int count;
      try (Connection c = db.getConnection();
          PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM orders WHERE id > ?")) {
        ps.setInt(1, 0);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          count = rs.getInt(1);
        }
      } catch (SQLException e) {
        log.error("back: query failed", e);
        respond(exchange, 500, "query failed: " + e.getMessage());
        return;
      }
      respond(exchange, 200,
          "correlation=" + correlation + ";baggage=" + baggage + ";traceparent=" + traceparent
              + ";count=" + count);
    }
  }

  private static void handleCheckout(HttpExchange exchange, HttpClient client, URI orders)
      throws IOException {
    try (exchange) {
      log.info("front: checkout started");
      HttpResponse<String> response;
      try {
        response = client.send(HttpRequest.newBuilder(orders).GET().build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        respond(exchange, 503, "interrupted");
        return;
      } catch (IOException e) {
        log.error("front: back service failed", e);
        respond(exchange, 502, "back failed: " + e);
        return;
      }
      log.info("front: checkout done with status {}", response.statusCode());
      respond(exchange, response.statusCode(), response.body());
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private TestApp() {}
}
