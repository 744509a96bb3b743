package dev.sextant.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CorrelationIdProcessorsTest {
  private static final Context WITH_ID =
      Context.root().with(Baggage.builder().put("correlation_id", "c-7").build());

  @Test
  void spanProcessor_copiesBaggageToAttribute() {
    List<ReadableSpan> ended = new CopyOnWriteArrayList<>();
    try (SdkTracerProvider tracing = SdkTracerProvider.builder()
        .addSpanProcessor(new CorrelationIdSpanProcessor())
        .addSpanProcessor(collect(ended))
        .build()) {
      Span withId = tracing.get("test").spanBuilder("with").setParent(WITH_ID).startSpan();
      withId.end();
      tracing.get("test").spanBuilder("without").setNoParent().startSpan().end();
    }
    assertThat(ended).hasSize(2);
    assertThat(ended.get(0).getAttribute(CorrelationId.ATTRIBUTE)).isEqualTo("c-7");
    assertThat(ended.get(1).getAttribute(CorrelationId.ATTRIBUTE)).isNull();
  }

  @Test
  @SuppressWarnings("try")
  void logRecordProcessor_runsBeforeExportingProcessor() {
    List<LogRecordData> exported = new CopyOnWriteArrayList<>();
    LogRecordProcessor exporting = SimpleLogRecordProcessor.create(collectLogs(exported));
    try (SdkLoggerProvider logging = SdkLoggerProvider.builder()
        .addLogRecordProcessor(
            LogRecordProcessor.composite(new CorrelationIdLogRecordProcessor(), exporting))
        .build()) {
      try (Scope ignored = WITH_ID.makeCurrent()) {
        logging.get("test").logRecordBuilder().setBody("inside").emit();
      }
      logging.get("test").logRecordBuilder().setBody("outside").emit();
    }
    assertThat(exported).hasSize(2);
    assertThat(exported.get(0).getAttributes().get(CorrelationId.ATTRIBUTE)).isEqualTo("c-7");
    assertThat(exported.get(1).getAttributes().get(CorrelationId.ATTRIBUTE)).isNull();
  }

  private static SpanProcessor collect(List<ReadableSpan> ended) {
    return new SpanProcessor() {
      @Override
      public void onStart(Context parentContext, ReadWriteSpan span) {}

      @Override
      public boolean isStartRequired() {
        return false;
      }

      @Override
      public void onEnd(ReadableSpan span) {
        ended.add(span);
      }

      @Override
      public boolean isEndRequired() {
        return true;
      }
    };
  }

  private static LogRecordExporter collectLogs(List<LogRecordData> exported) {
    return new LogRecordExporter() {
      @Override
      public CompletableResultCode export(Collection<LogRecordData> logs) {
        exported.addAll(logs);
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
  }
}
