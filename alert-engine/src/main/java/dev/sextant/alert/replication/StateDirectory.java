package dev.sextant.alert.replication;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.internal.store.AlertDb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Rebuilds an alert engine's data directory from a replicated copy of its state, before the engine
 * is built on it (a new cluster leader starting from what the previous one wrote).
 */
public final class StateDirectory {
  /**
   * The tables a {@link StateListener} hears of. {@code audit} (the delivery attempts) is
   * per-node history: replicating it is the listener's choice.
   */
  public static final List<String> TABLES = List.of("alert_state", "silences", "nflog", "outbox",
      "audit", "meta");

  private StateDirectory() {}

  /**
   * Deletes {@code dataDir} (which no open engine may be using) and recreates it holding exactly
   * the entries {@code entries} hands to the listener it is given ({@code value} null entries are
   * skipped).
   *
   * @throws IllegalArgumentException when an entry names a table not in {@link #TABLES}
   */
  public static void reset(Path dataDir, Consumer<StateListener> entries) {
    requireNonNull(dataDir, "dataDir");
    requireNonNull(entries, "entries");
    deleteTree(dataDir);
    try (AlertDb db = AlertDb.open(dataDir)) {
      entries.accept((table, key, value) -> {
        if (value != null) {
          db.put(table(table), key, value);
        }
      });
    }
  }

  static AlertDb.Table table(String name) {
    requireNonNull(name, "table");
    if (!TABLES.contains(name)) {
      throw new IllegalArgumentException("table: " + name + " (expected one of " + TABLES + ")");
    }
    return AlertDb.Table.valueOf(name.toUpperCase(Locale.ROOT));
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + dir + ": " + e.getMessage(), e);
    }
  }
}
