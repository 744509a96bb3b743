package dev.sextant.collector.internal;

import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.collector.limits.Signal;
import dev.sextant.storage.LogConsumer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.concurrent.CompletableFuture;

/** Logs: validate and convert records, store them, report rejected ones. */
public final class LogHandler
    implements SignalHandler<ExportLogsServiceRequest, ExportLogsServiceResponse> {
  private final LogConsumer consumer;
  private final LogConverter converter;

  public LogHandler(LogConsumer consumer, IngestLimits limits) {
    this.consumer = consumer;
    this.converter = new LogConverter(limits);
  }

  @Override
  public Signal signal() {
    return Signal.LOGS;
  }

  private final LenientOtlpParser<ExportLogsServiceRequest> parser = new LenientOtlpParser<>(
      ExportLogsServiceRequest.parser(), LogRecord.parser(), "log record");

  @Override
  public LenientOtlpParser<ExportLogsServiceRequest> parser() {
    return parser;
  }

  @Override
  public long itemCount(ExportLogsServiceRequest request) {
    long n = 0;
    for (ResourceLogs rl : request.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        n += sl.getLogRecordsCount();
      }
    }
    return n;
  }

  @Override
  public CompletableFuture<Result<ExportLogsServiceResponse>> store(
      ExportLogsServiceRequest request, String tenant, long preRejected, String preError) {
    LogConverter.Conversion c = converter.convert(request);
    CompletableFuture<Void> stored = c.records().isEmpty()
        ? CompletableFuture.completedFuture(null) : consumer.accept(c.records());
    return stored.thenApply(unused -> {
      ExportLogsServiceResponse.Builder b = ExportLogsServiceResponse.newBuilder();
      long rejected = c.rejected() + preRejected;
      if (rejected > 0) {
        b.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
            .setRejectedLogRecords(rejected)
            .setErrorMessage(Truncations.join(preError != null ? preError : c.errorMessage(),
                c.warning())));
      } else if (c.warning() != null) {
        // Everything stored, something cut to the limits: OTLP's warning form of partial success.
        b.setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setErrorMessage(c.warning()));
      }
      return new Result<>(b.build(), rejected);
    });
  }
}
