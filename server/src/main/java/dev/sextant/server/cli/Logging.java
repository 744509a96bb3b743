package dev.sextant.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Applies {@code --log-level} and routes java.util.logging (RocksDB, gRPC) to SLF4J. */
final class Logging {
  private Logging() {}

  static void setLevel(String level) {
    Level parsed = Level.toLevel(level, null);
    if (parsed == null) {
      throw new IllegalArgumentException("--log-level: " + level
          + " (expected: ERROR, WARN, INFO, DEBUG or TRACE)");
    }
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(parsed);
    ((Logger) LoggerFactory.getLogger("dev.sextant")).setLevel(parsed);
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }
}
