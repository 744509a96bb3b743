package dev.sextant.alert.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertDbTest {
  @TempDir
  Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void close_laterCallsThrowInsteadOfCrashingTheJvm() {
    AlertDb db = AlertDb.open(dir);
    db.put(AlertDb.Table.META, b("k"), b("v"));
    db.close();
    db.close(); // idempotent
    assertThatThrownBy(() -> db.put(AlertDb.Table.META, b("k"), b("v2")))
        .isInstanceOf(IllegalStateException.class).hasMessage("alert db closed");
    assertThatThrownBy(() -> db.get(AlertDb.Table.META, b("k")))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> db.scan(AlertDb.Table.META, (k, v) -> true))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void close_waitsForAScanInFlight() throws Exception {
    AlertDb db = AlertDb.open(dir);
    db.put(AlertDb.Table.META, b("k"), b("v"));
    CountDownLatch inScan = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean sawValue = new AtomicBoolean();
    Thread reader = new Thread(() -> db.scan(AlertDb.Table.META, (k, v) -> {
      inScan.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      sawValue.set(new String(v, StandardCharsets.UTF_8).equals("v"));
      return true;
    }));
    reader.start();
    inScan.await();
    Thread closer = new Thread(db::close);
    closer.start();
    closer.join(300);
    assertThat(closer.isAlive()).as("close waits for the scan").isTrue();
    release.countDown();
    reader.join(10_000);
    closer.join(10_000);
    assertThat(closer.isAlive()).isFalse();
    assertThat(sawValue).isTrue();
  }
}
