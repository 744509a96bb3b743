package dev.sextant.server.cli;

import dev.sextant.server.SextantServer;
import dev.sextant.server.config.SextantConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sextant server}: runs until SIGTERM / Ctrl-C, then stops gracefully. */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Start Sextant with embedded storage: OTLP on :4317 (gRPC) and :4318 (HTTP), "
        + "UI and APIs on :8686.")
final class ServerCommand implements Callable<Integer> {
  @Mixin
  ServerOptions options = new ServerOptions();

  @Override
  public Integer call() throws Exception {
    SextantConfig config = options.resolve();
    Logging.setLevel(config.logLevel);
    SextantServer server = ServerOptions.build(config);
    CountDownLatch stopped = ServerOptions.startUntilSignalled(server);
    stopped.await();
    return 0;
  }
}
