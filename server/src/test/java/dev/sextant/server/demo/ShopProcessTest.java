package dev.sextant.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShopProcessTest {
  @TempDir
  Path dir;

  @Test
  void awaitListening_diedBeforeServing_quotesItsLastLines() throws Exception {
    // As a shop whose port was taken: it prints why, then exits with 1.
    List<String> cmd = List.of("sh", "-c",
        "for i in $(seq 1 40); do echo line $i; done;"
            + " echo 'java.net.BindException: Address already in use'; exit 1");
    try (ShopProcess p = ShopProcess.start("inventory", cmd, dir.resolve("inventory.log"),
        line -> { })) {
      assertThatThrownBy(() -> p.awaitListening(60_000))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("inventory exited with 1 before serving")
          .hasMessageContaining("java.net.BindException: Address already in use")
          .hasMessageContaining("line 40")
          .hasMessageNotContaining("line 10\n");
    }
  }

  @Test
  void ports_areTheOnesItReported() throws Exception {
    List<String> cmd = List.of("sh", "-c", "echo starting; echo 'LISTENING 41234 METRICS 41235';"
        + " sleep 30");
    try (ShopProcess p = ShopProcess.start("users", cmd, dir.resolve("users.log"), line -> { })) {
      assertThat(p.awaitListening(60_000)).isEqualTo("LISTENING 41234 METRICS 41235");
      assertThat(p.port()).isEqualTo(41234);
      assertThat(p.metricsPort()).isEqualTo(41235);
    }
  }
}
