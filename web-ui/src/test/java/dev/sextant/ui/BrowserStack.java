package dev.sextant.ui;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sextant.query.promql.EngineOptions;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.storage.Storage;
import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.ui.testing.Browser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * What a browser test of a few pages stands on: real embedded storage under {@code dir}, filled
 * by the test before anything serves it; the web UI over it (with the security headers, and any
 * routes of the test's own) on an ephemeral loopback port; a headless Chromium opened on it.
 * {@link #close()} closes whatever was opened, also after a failed start.
 */
final class BrowserStack implements AutoCloseable {
  /** Writes a test's data into the store before the server starts. */
  @FunctionalInterface
  interface Data {
    void writeTo(Storage storage) throws Exception;
  }

  private final Storage storage;
  private @Nullable Server server;
  private @Nullable Browser browser;

  private BrowserStack(Storage storage) {
    this.storage = storage;
  }

  /**
   * Starts it all; {@code routes} adds the test's own services next to the UI's (none:
   * {@code (sb, storage) -> {}}).
   */
  static BrowserStack start(Path dir, Data data, BiConsumer<ServerBuilder, Storage> routes)
      throws Exception {
    BrowserStack s = new BrowserStack(
        EmbeddedStorage.open(Files.createDirectories(dir.resolve("data"))));
    try {
      data.writeTo(s.storage);
      ServerBuilder sb = Server.builder().http(0);
      routes.accept(sb, s.storage);
      s.server = sb.service(WebUi.builder().storage(s.storage)
              .promql(PromqlEngine.of(s.storage.metricReader(), EngineOptions.defaults()))
              .build())
          .decorator(new SecurityHeaders()).build();
      s.server.start().join();
      s.browser = new Browser("http://127.0.0.1:" + s.server.activeLocalPort(),
          dir.resolve("chrome-profile"));
      return s;
    } catch (Exception | Error e) {
      s.close();
      throw e;
    }
  }

  Storage storage() {
    return storage;
  }

  Browser browser() {
    if (browser == null) {
      throw new IllegalStateException("not started");
    }
    return browser;
  }

  @Override
  public void close() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.stop().join();
    }
    storage.close();
  }
}
