package dev.sextant.agent;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;

/**
 * Copies the correlation ID from the log record's context onto the record as an attribute. Must run
 * before the exporting processor, which snapshots the record on emit.
 */
final class CorrelationIdLogRecordProcessor implements LogRecordProcessor {
  @Override
  public void onEmit(Context context, ReadWriteLogRecord logRecord) {
    String id = CorrelationId.fromContext(context);
    if (id != null) {
      logRecord.setAttribute(CorrelationId.ATTRIBUTE, id);
    }
  }
}
