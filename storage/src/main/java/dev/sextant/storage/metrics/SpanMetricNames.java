package dev.sextant.storage.metrics;

/**
 * Names of the span-derived RED series (rate, errors, duration per service, operation and span
 * kind), as the OpenTelemetry Collector's spanmetrics connector names them. The collector writes
 * them and the query API, UI and alert rules read them: both sides take the names from here.
 */
public final class SpanMetricNames {
  /** Calls counter: {@code {service_name, span_name, span_kind, status_code}}. */
  public static final String CALLS = "traces_span_metrics_calls_total";
  /** Errors counter (calls with status ERROR): {@code {service_name, span_name, span_kind}}. */
  public static final String ERRORS = "traces_span_metrics_errors_total";
  /** Duration histogram buckets in seconds: the calls labels and {@code le}. */
  public static final String DURATION_BUCKET = "traces_span_metrics_duration_seconds_bucket";
  /** Duration histogram sum in seconds. */
  public static final String DURATION_SUM = "traces_span_metrics_duration_seconds_sum";
  /** Duration histogram count. */
  public static final String DURATION_COUNT = "traces_span_metrics_duration_seconds_count";

  /** Label: the span's {@code service.name}. */
  public static final String SERVICE = "service_name";
  /** Label: the span's name (the operation). */
  public static final String SPAN_NAME = "span_name";
  /** Label: {@code SPAN_KIND_SERVER}, {@code SPAN_KIND_CLIENT}, ... */
  public static final String SPAN_KIND = "span_kind";
  /** Label: {@code STATUS_CODE_UNSET}, {@code STATUS_CODE_OK} or {@code STATUS_CODE_ERROR}. */
  public static final String STATUS_CODE = "status_code";
  /** The {@link #SPAN_KIND} value of server spans, which golden signals prefer. */
  public static final String KIND_SERVER = "SPAN_KIND_SERVER";

  private SpanMetricNames() {}
}
