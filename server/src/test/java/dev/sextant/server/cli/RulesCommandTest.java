package dev.sextant.server.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sextant rules test|check} on Prometheus's own promtool files, on the real engine. */
class RulesCommandTest {
  @TempDir
  Path dir;

  private Path copy(String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/promtool/" + name)) {
      Path p = dir.resolve(name);
      Files.copy(in, p);
      return p;
    }
  }

  private record Run(int code, String out) {}

  private Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream both = new PrintStream(buf, true, UTF_8);
    System.setOut(both);
    System.setErr(both);
    try {
      int code = new CommandLine(new Main()).execute(args);
      return new Run(code, buf.toString(UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void test_promtoolUnitTestFilePasses() throws Exception {
    copy("rules.yml");
    Run r = run("rules", "test", copy("unittest-classic.yml").toString());
    assertThat(r.out()).contains("SUCCESS");
    assertThat(r.code()).as(r.out()).isZero();
  }

  @Test
  void test_failingFileFailsWithReadableDiff() throws Exception {
    copy("rules.yml");
    Run r = run("rules", "test", copy("failing.yml").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("FAILED").contains("exp:").contains("got:")
        .contains("alertname: InstanceDown");
  }

  @Test
  void check_warnsAboutAlertsWithoutPlaybook() throws Exception {
    Run r = run("rules", "check", copy("rules.yml").toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("SUCCESS: 5 rules found").contains("no playbook");
  }
}
