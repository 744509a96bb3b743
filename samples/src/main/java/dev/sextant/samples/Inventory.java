package dev.sextant.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.sextant.samples.internal.Args;
import dev.sextant.samples.internal.Reply;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * {@code POST /inventory/reserve {"sku","quantity"}}: reads the product and takes stock in an
 * embedded H2 database through a HikariCP pool (real JDBC, so the agent records the queries and
 * the pool's usage is real). Sold-out products are restocked on the spot so load never runs dry.
 */
final class Inventory {
  static final String[] SKUS = {"sextant", "compass", "chart", "chronometer", "telescope"};

  private final HikariDataSource db;

  Inventory(Args args, ShopService shop) throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:inventory;DB_CLOSE_DELAY=-1");
    config.setUsername("sa");
    config.setPassword("");
    config.setMaximumPoolSize(args.integer("pool-size", 8));
    config.setPoolName("inventory");
    db = new HikariDataSource(config);
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE products (sku VARCHAR(32) PRIMARY KEY, price_cents INT, stock INT)");
      int price = 1999;
      for (String sku : SKUS) {
        s.execute("INSERT INTO products VALUES ('" + sku + "', " + price + ", 1000)");
        price += 2500;
      }
    }
    HikariPoolMXBean pool = db.getHikariPoolMXBean();
    int max = config.getMaximumPoolSize();
    GaugeWithCallback.builder().name("db_connection_pool_usage")
        .help("Share of the pool's connections in use (active / maximum)").labelNames("pool")
        .callback(cb -> cb.call((double) pool.getActiveConnections() / max, "inventory"))
        .register(shop.metrics().registry());
    GaugeWithCallback.builder().name("db_connection_pool_connections")
        .help("Pool connections by state").labelNames("pool", "state")
        .callback(cb -> {
          cb.call(pool.getActiveConnections(), "inventory", "active");
          cb.call(pool.getIdleConnections(), "inventory", "idle");
          cb.call(pool.getThreadsAwaitingConnection(), "inventory", "pending");
          cb.call(max, "inventory", "max");
        })
        .register(shop.metrics().registry());
    shop.app().route("POST", "/inventory/reserve", call -> {
      if (shop.faults().shouldFail()) {
        return Reply.error(500, "inventory database error (injected fault)");
      }
      return reserve(call.json());
    });
  }

  private Reply reserve(JsonNode body) throws SQLException {
    String sku = body.path("sku").asText("");
    int quantity = body.path("quantity").asInt(1);
    if (quantity < 1 || quantity > 100) {
      throw new IllegalArgumentException("quantity: " + quantity + " (expected: 1-100)");
    }
    try (Connection c = db.getConnection()) {
      int price;
      try (PreparedStatement ps =
          c.prepareStatement("SELECT price_cents, stock FROM products WHERE sku = ?")) {
        ps.setString(1, sku);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Reply.error(404, "sku " + sku + " not found");
          }
          price = rs.getInt(1);
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE products SET stock = CASE WHEN stock >= ? THEN stock - ? ELSE stock + 1000 END"
              + " WHERE sku = ?")) {
        ps.setInt(1, quantity);
        ps.setInt(2, quantity);
        ps.setString(3, sku);
        ps.executeUpdate();
      }
      return Reply.json(200, Map.of("sku", sku, "quantity", quantity, "priceCents", price,
          "reserved", true));
    }
  }
}
