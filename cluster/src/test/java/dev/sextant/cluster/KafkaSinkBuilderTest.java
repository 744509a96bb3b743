package dev.sextant.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Span;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.TimeSeries;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Settings and input the sink refuses, without a broker (nothing listens on port 1). */
class KafkaSinkBuilderTest {
  private static final String NOWHERE = "127.0.0.1:1";

  @Test
  void build_maxBlockNotBelowDeliveryTimeout_isRefused() {
    assertThatThrownBy(() -> KafkaSink.builder(NOWHERE).deliveryTimeout(Duration.ofSeconds(1))
        .maxBlock(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBlock: PT1S (expected: < deliveryTimeout, PT1S)");
  }

  @Test
  void producerProperty_contractSettings_areRefused() {
    assertThatThrownBy(() -> KafkaSink.builder(NOWHERE).producerProperty("acks", "1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acks");
    assertThatThrownBy(() -> KafkaSink.builder(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bootstrapServers");
    assertThatThrownBy(() -> StoreConsumer.builder(NOWHERE, "g", t -> null)
        .consumerProperty("enable.auto.commit", true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("enable.auto.commit");
  }

  @Test
  void accept_invalidSpanId_isRefusedAsInvalidBeforeAskingKafka() throws Exception {
    try (KafkaSink sink = KafkaSink.builder(NOWHERE).maxBlock(Duration.ofMillis(200)).build()) {
      Span bad = Span.builder().traceId("0af7651916cd43dd8448eb211c80319c").spanId("xyz")
          .name("op").serviceName("svc").build();
      Throwable t = catchThrowable(() -> sink.spanConsumer().accept(List.of(bad))
          .get(10, TimeUnit.SECONDS));
      assertThat(t).isInstanceOf(ExecutionException.class).cause()
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spanId: 'xyz'");
    }
  }

  @Test
  void logConsumer_invalidTraceOrSpanId_isRefusedAsInvalidBeforeAskingKafka() throws Exception {
    try (KafkaSink sink = KafkaSink.builder(NOWHERE).maxBlock(Duration.ofMillis(200)).build()) {
      LogRecord badTrace = log("00000000000000000000000000000000", "");
      LogRecord badSpan = log("0af7651916cd43dd8448eb211c80319c", "b7ad6b71692033");
      for (LogRecord bad : List.of(badTrace, badSpan)) {
        Throwable t = catchThrowable(() -> sink.logConsumer().accept(List.of(bad))
            .get(10, TimeUnit.SECONDS));
        assertThat(t).as("%s", bad).isInstanceOf(ExecutionException.class).cause()
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(bad.equals(badTrace) ? "traceId: '" : "spanId: '");
      }
      // Records without IDs, and with valid ones, pass validation and reach the producer (which
      // finds no broker here).
      for (LogRecord ok : List.of(log("", ""),
          log("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"))) {
        Throwable t = catchThrowable(() -> sink.logConsumer().accept(List.of(ok))
            .get(10, TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class).cause()
            .isInstanceOf(KafkaUnavailableException.class);
      }
    }
  }

  private static LogRecord log(String traceId, String spanId) {
    return new LogRecord(1_000L, 1_000L, 9, "INFO", "body", Map.of(), traceId, spanId, "",
        "svc", Map.of(), "", 0, 0);
  }

  @Test
  void accept_noBroker_failsRetryablyWithinMaxBlock() throws Exception {
    try (KafkaSink sink = KafkaSink.builder(NOWHERE).maxBlock(Duration.ofMillis(200)).build()) {
      Span ok = Span.builder().traceId("0af7651916cd43dd8448eb211c80319c")
          .spanId("b7ad6b7169203331").name("op").serviceName("svc").build();
      long start = System.nanoTime();
      Throwable t = catchThrowable(() -> sink.spanConsumer().accept(List.of(ok))
          .get(10, TimeUnit.SECONDS));
      assertThat(t).isInstanceOf(ExecutionException.class).cause()
          .isInstanceOf(KafkaUnavailableException.class).hasMessageContaining("sextant.spans");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
    }
  }

  @Test
  void accept_afterClose_failsWithStorageException() throws Exception {
    KafkaSink sink = KafkaSink.builder(NOWHERE).build();
    sink.close();
    Throwable t = catchThrowable(() -> sink.metricWriter().write(List.of(
        TimeSeries.of(Labels.of("__name__", "up"), 1, 1)))
        .get(10, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(ExecutionException.class).cause()
        .isInstanceOf(StorageException.class).hasMessageContaining("closed");
  }
}
