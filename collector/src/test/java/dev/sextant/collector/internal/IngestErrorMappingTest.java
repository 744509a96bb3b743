package dev.sextant.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.collector.limits.RateLimits;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** Storage failures that retrying cannot fix are client errors, not 503s retried forever. */
class IngestErrorMappingTest {
  private static LenientOtlpParser.Parsed<ExportLogsServiceRequest> logs(LogRecord... records) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (LogRecord r : records) {
      scope.addLogRecords(r);
    }
    return new LenientOtlpParser.Parsed<>(ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(scope)).build(), 0, null);
  }

  @Test
  void handle_storageRefusesDataAsInvalid_isANonRetryableRefusal() {
    LogHandler handler = new LogHandler(records -> CompletableFuture.failedFuture(
        new IllegalArgumentException("traceId: 'x' (expected: 32 hex)")), IngestLimits.defaults());
    IngestPipeline p = new IngestPipeline(1 << 20, RateLimits.unlimited());
    var f = p.handle(handler, logs(LogRecord.newBuilder().setTimeUnixNano(1).build()), 10, "t",
        "test");
    Throwable cause = Assertions
        .catchThrowableOfType(CompletionException.class, f::join).getCause();
    assertThat(cause).isInstanceOf(IngestRefusedException.class);
    assertThat(((IngestRefusedException) cause).reason())
        .isEqualTo(IngestRefusedException.Reason.INVALID);
    assertThat(cause.getMessage()).contains("do not retry").contains("traceId");
    assertThat(p.queueBytes()).isZero();
  }

  @Test
  void convert_logTimePast2262_rejectsOnlyThatRecord() {
    LogConverter converter = new LogConverter(IngestLimits.defaults());
    var c = converter.convert(logs(parsedLog(-5), parsedLog(1_000)).request());
    assertThat(c.records()).hasSize(1);
    assertThat(c.rejected()).isEqualTo(1);
    assertThat(c.errorMessage()).contains("observed_time_unix_nano")
        .contains(Long.toUnsignedString(-5L)).contains("expected: < 2^63");
  }

  private static LogRecord parsedLog(long observed) {
    return LogRecord.newBuilder().setTimeUnixNano(1).setObservedTimeUnixNano(observed).build();
  }
}
