package dev.sextant.server.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the demo finds its parts, and the rule file it writes for Sextant. Two layouts: a source
 * tree after {@code mvn package} ({@code samples/target/sextant-samples.jar},
 * {@code agent/target/sextant-agent.jar}) and an installed release tarball
 * ({@code samples/sextant-samples.jar}, {@code agent/sextant-agent.jar}); both keep the shop's
 * rules and playbooks under {@code samples/rules} and {@code samples/playbooks}.
 */
final class DemoHome {
  /** The samples jar of an installed release, relative to its root. */
  static final String INSTALLED_SAMPLES = "samples/sextant-samples.jar";

  final Path root;
  /** True for a release tarball's layout, false for a source tree's. */
  final boolean installed;

  DemoHome(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.installed = Files.exists(this.root.resolve(INSTALLED_SAMPLES));
  }

  /**
   * The tree this class was loaded from: an installed release keeps the server's jar in
   * {@code lib/} under its root; in a source tree {@code server/target/sextant-server.jar} and
   * {@code server/target/classes} both sit three levels below the root.
   */
  static DemoHome locate() {
    try {
      Path here = Paths.get(DemoHome.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      Path dir = here.getParent();
      if (dir.getFileName() != null && dir.getFileName().toString().equals("lib")
          && Files.exists(dir.getParent().resolve(INSTALLED_SAMPLES))) {
        return new DemoHome(dir.getParent());
      }
      return new DemoHome(dir.getParent().getParent());
    } catch (Exception e) {
      return new DemoHome(Paths.get("."));
    }
  }

  Path samplesJar() {
    return root.resolve(installed ? INSTALLED_SAMPLES : "samples/target/sextant-samples.jar");
  }

  Path agentJar() {
    return root.resolve(installed ? "agent/sextant-agent.jar" : "agent/target/sextant-agent.jar");
  }

  Path rules() {
    return root.resolve("samples/rules/shop-alerts.yml");
  }

  Path playbooks() {
    return root.resolve("samples/playbooks");
  }

  /** Fails with what to run when a part is missing. */
  void check() {
    for (Path p : new Path[] {samplesJar(), agentJar(), rules(), playbooks()}) {
      if (!Files.exists(p)) {
        throw new IllegalStateException(p + " is missing: " + (installed
            ? "this installation is incomplete; unpack the release tarball again"
            : "run bin/sextant demo from the source tree (it builds what is missing), or mvn "
                + "-DskipTests package"));
      }
    }
  }

  /**
   * The shop's rule file with the demo's timings: group intervals, {@code for} and range
   * windows replaced when given (null keeps the file's value).
   */
  static String rewriteRules(String yaml, Duration interval, Duration forDuration,
      Duration window) {
    String out = yaml;
    if (interval != null) {
      out = replace(out, "(?m)^(\\s+interval:\\s*)\\S+", prom(interval));
    }
    if (forDuration != null) {
      out = replace(out, "(?m)^(\\s+for:\\s*)\\S+", prom(forDuration));
    }
    if (window != null) {
      out = replace(out, "(\\[)1m\\]", prom(window) + "]");
    }
    return out;
  }

  /** Replaces each match with its group 1 followed by {@code value}. */
  private static String replace(String s, String regex, String value) {
    return Pattern.compile(regex).matcher(s)
        .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + value));
  }

  /** A Prometheus duration: whole seconds, or milliseconds below a second. */
  static String prom(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  Path writeRules(Path dir, DemoOptions o) throws IOException {
    Files.createDirectories(dir);
    String yaml = Files.readString(rules(), StandardCharsets.UTF_8);
    Path out = dir.resolve("shop-alerts.yml");
    Files.writeString(out, rewriteRules(yaml, o.evaluationInterval, o.alertFor, o.alertWindow),
        StandardCharsets.UTF_8);
    return out;
  }
}
