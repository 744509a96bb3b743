package dev.sextant.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoHomeTest {
  private static final String RULES = """
      groups:
        - name: g
          interval: 15s
          rules:
            - alert: A
              expr: rate(x_total[1m]) > 1
              for: 30s
      """;

  @Test
  void rewriteRules_replacesIntervalForAndWindows() {
    String out = DemoHome.rewriteRules(RULES, Duration.ofSeconds(2), Duration.ofMillis(500),
        Duration.ofSeconds(20));
    assertThat(out).contains("    interval: 2s\n").contains("      for: 500ms\n")
        .contains("rate(x_total[20s])");
  }

  @Test
  void rewriteRules_nullKeepsTheFile() {
    assertThat(DemoHome.rewriteRules(RULES, null, null, null)).isEqualTo(RULES);
  }

  @Test
  void locate_findsTheSourceTreeThisClassCameFrom() {
    assertThat(DemoHome.locate().root.resolve("samples/rules/shop-alerts.yml")).exists();
  }

  @Test
  void demoHome_installedLayoutIsFoundByItsSamplesJar(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("samples"));
    Files.writeString(root.resolve(DemoHome.INSTALLED_SAMPLES), "");
    DemoHome home = new DemoHome(root);
    assertThat(home.installed).isTrue();
    assertThat(home.agentJar()).isEqualTo(root.resolve("agent/sextant-agent.jar"));
    assertThat(home.samplesJar()).isEqualTo(root.resolve("samples/sextant-samples.jar"));
    assertThat(home.rules()).isEqualTo(root.resolve("samples/rules/shop-alerts.yml"));
    assertThat(new DemoHome(root.resolve("elsewhere")).agentJar())
        .isEqualTo(root.resolve("elsewhere/agent/target/sextant-agent.jar"));
  }
}
