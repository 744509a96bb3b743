package dev.sextant.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Prometheus and Alertmanager tools the Alertmanager-API tests talk to, from the Debian
 * packages {@code prometheus} and {@code prometheus-alertmanager} (bin/test installs them). A test
 * is skipped, saying which package to install, only where the binary is absent.
 */
final class Peers {
  /** What a finished command printed. */
  record Run(int exit, String out, String err) {}

  private Peers() {}

  /** {@code /usr/bin/<name>}, or the test is skipped. */
  static Path binary(String name, String debianPackage) {
    Path p = Path.of("/usr/bin", name);
    assumeTrue(Files.isExecutable(p), name + " not found: apt-get install -y " + debianPackage
        + " (bin/test installs it)");
    return p;
  }

  /** Runs {@code command} to its end (at most {@code timeout}). */
  static Run run(Duration timeout, String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("peer", ".out");
    Path err = Files.createTempFile("peer", ".err");
    try {
      Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
          .redirectError(err.toFile()).start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(List.of(command) + " did not finish in " + timeout);
      }
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** {@code amtool} against {@code port} with {@code args}; fails the test on a non-zero exit. */
  static String amtool(int port, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(binary("amtool", "prometheus-alertmanager")
        .toString(), "--alertmanager.url=http://127.0.0.1:" + port));
    cmd.addAll(List.of(args));
    Run r = run(Duration.ofSeconds(30), cmd.toArray(new String[0]));
    if (r.exit() != 0) {
      throw new AssertionError(cmd + " exited " + r.exit() + ": " + r.err() + r.out());
    }
    return r.out();
  }
}
