package dev.sextant.server.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where the demo finds its parts in a source tree, and the rule file it writes for Sextant. */
final class DemoHome {
  final Path root;

  DemoHome(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /**
   * The tree this class was loaded from: {@code server/target/sextant-server.jar} and
   * {@code server/target/classes} both sit three levels below it.
   */
  static DemoHome locate() {
    try {
      Path here = Paths.get(DemoHome.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      return new DemoHome(here.getParent().getParent().getParent());
    } catch (Exception e) {
      return new DemoHome(Paths.get("."));
    }
  }

  Path samplesJar() {
    return root.resolve("samples/target/sextant-samples.jar");
  }

  Path agentJar() {
    return root.resolve("agent/target/sextant-agent.jar");
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
        throw new IllegalStateException(p + " is missing: run bin/sextant demo from the source "
            + "tree (it builds what is missing), or mvn -DskipTests package");
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
