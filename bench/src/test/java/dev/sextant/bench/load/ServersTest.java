package dev.sextant.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServersTest {
  /** The metrics phase runs Sextant as a user does: with the launchers' JVM defaults. */
  @Test
  void launcherJvmOptions_areTheLaunchersDefaults() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    for (Path launcher : new Path[] {root.resolve("bin/sextant"),
        root.resolve("dist/src/bin/sextant")}) {
      String text = Files.readString(launcher);
      String line = text.lines().filter(l -> l.startsWith("JVM_DEFAULTS="))
          .findFirst().orElseThrow(() -> new AssertionError("no JVM_DEFAULTS= in " + launcher));
      assertThat(line).as(launcher.toString())
          .isEqualTo("JVM_DEFAULTS=\"" + String.join(" ", Servers.LAUNCHER_JVM_OPTIONS) + "\"");
      // The user's flags come after the defaults, so theirs win.
      assertThat(text.indexOf("$JVM_DEFAULTS")).as(launcher.toString())
          .isPositive().isLessThan(text.indexOf("${JAVA_OPTS:-}") < 0
              ? text.indexOf("${SEXTANT_JAVA_OPTS:-}") : text.indexOf("${JAVA_OPTS:-}"));
    }
  }
}
