package dev.sextant.collector.limits;

/**
 * Per-request and per-item limits. Over a per-item limit the item is truncated and the dropped
 * counts recorded, as the OpenTelemetry SDKs do; over the request limit the request is refused.
 *
 * <p>Every string that becomes an index term, a doc value or a metric label is bounded here:
 * attribute values by {@link #maxAttributeValueLength()}, attribute keys by
 * {@link #maxAttributeKeyLength()} (a longer key drops its attribute, counted in
 * {@code dropped_attributes_count}), names by {@link #maxNameLength()} and correlation IDs by
 * {@link #maxCorrelationIdLength()} (truncated; the OTLP response then carries a
 * partial-success warning naming the field and the limit, with nothing rejected).
 */
public final class IngestLimits {
  /** The largest {@link Builder#maxAttributeKeyLength(int)}. */
  public static final int MAX_KEY_LENGTH = 1024;
  /** The largest {@link Builder#maxNameLength(int)}. */
  public static final int MAX_NAME_LENGTH = 4096;
  /** The largest {@link Builder#maxCorrelationIdLength(int)}. */
  public static final int MAX_CORRELATION_ID_LENGTH = 256;

  private final int maxRequestBytes;
  private final int maxAttributes;
  private final int maxAttributeValueLength;
  private final int maxAnyValueDepth;
  private final int maxEventsPerSpan;
  private final int maxLinksPerSpan;
  private final int maxAttributeKeyLength;
  private final int maxNameLength;
  private final int maxCorrelationIdLength;

  private IngestLimits(Builder b) {
    this.maxCorrelationIdLength = b.maxCorrelationIdLength;
    this.maxAttributeKeyLength = b.maxAttributeKeyLength;
    this.maxNameLength = b.maxNameLength;
    this.maxRequestBytes = b.maxRequestBytes;
    this.maxAttributes = b.maxAttributes;
    this.maxAttributeValueLength = b.maxAttributeValueLength;
    this.maxAnyValueDepth = b.maxAnyValueDepth;
    this.maxEventsPerSpan = b.maxEventsPerSpan;
    this.maxLinksPerSpan = b.maxLinksPerSpan;
  }

  public static IngestLimits defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Largest request body after decompression (default 16 MiB). */
  public int maxRequestBytes() {
    return maxRequestBytes;
  }

  /** Attributes kept per span, event, link, log record or data point (default 128). */
  public int maxAttributes() {
    return maxAttributes;
  }

  /** Characters kept of a string attribute value (default 4096). */
  public int maxAttributeValueLength() {
    return maxAttributeValueLength;
  }

  /** Nesting depth of array/kvlist values kept; deeper attributes are dropped (default 8). */
  public int maxAnyValueDepth() {
    return maxAnyValueDepth;
  }

  /** Events kept per span (default 128). */
  public int maxEventsPerSpan() {
    return maxEventsPerSpan;
  }

  /** Links kept per span (default 128). */
  public int maxLinksPerSpan() {
    return maxLinksPerSpan;
  }

  /**
   * Characters of an attribute key (span, event, link, log record, resource; keys nested in
   * values are truncated to it): an attribute with a longer key is dropped and counted in
   * {@code dropped_attributes_count}, as Google Cloud Trace does (default 256).
   */
  public int maxAttributeKeyLength() {
    return maxAttributeKeyLength;
  }

  /**
   * Characters kept of a name: span name, event name, {@code service.name}, instrumentation
   * scope name and version, log severity text; longer ones are truncated and the response warns
   * (default 1024).
   */
  public int maxNameLength() {
    return maxNameLength;
  }

  /**
   * Characters kept of a log record's correlation ID; a longer one is truncated and the response
   * warns (default and most 256, what the correlation look-up API accepts).
   */
  public int maxCorrelationIdLength() {
    return maxCorrelationIdLength;
  }

  /** Builds {@link IngestLimits}; every value must be positive. */
  public static final class Builder {
    private int maxRequestBytes = 16 << 20;
    private int maxAttributes = 128;
    private int maxAttributeValueLength = 4096;
    private int maxAnyValueDepth = 8;
    private int maxEventsPerSpan = 128;
    private int maxLinksPerSpan = 128;
    private int maxAttributeKeyLength = 256;
    private int maxNameLength = 1024;
    private int maxCorrelationIdLength = MAX_CORRELATION_ID_LENGTH;

    private Builder() {}

    /** At most 256, what {@code /api/correlations/{id}} accepts. */
    public Builder maxCorrelationIdLength(int v) {
      maxCorrelationIdLength = range("maxCorrelationIdLength", v, MAX_CORRELATION_ID_LENGTH);
      return this;
    }

    /** At most 1024: Lucene's term limit must hold a key and an indexed value. */
    public Builder maxAttributeKeyLength(int v) {
      maxAttributeKeyLength = range("maxAttributeKeyLength", v, MAX_KEY_LENGTH);
      return this;
    }

    /** At most 4096: Lucene's term limit must hold a service and a span name together. */
    public Builder maxNameLength(int v) {
      maxNameLength = range("maxNameLength", v, MAX_NAME_LENGTH);
      return this;
    }

    private static int range(String name, int v, int max) {
      if (v <= 0 || v > max) {
        throw new IllegalArgumentException(name + ": " + v + " (expected: 1-" + max + ")");
      }
      return v;
    }

    public Builder maxRequestBytes(int v) {
      maxRequestBytes = positive("maxRequestBytes", v);
      return this;
    }

    public Builder maxAttributes(int v) {
      maxAttributes = positive("maxAttributes", v);
      return this;
    }

    public Builder maxAttributeValueLength(int v) {
      maxAttributeValueLength = positive("maxAttributeValueLength", v);
      return this;
    }

    public Builder maxAnyValueDepth(int v) {
      maxAnyValueDepth = positive("maxAnyValueDepth", v);
      return this;
    }

    public Builder maxEventsPerSpan(int v) {
      maxEventsPerSpan = positive("maxEventsPerSpan", v);
      return this;
    }

    public Builder maxLinksPerSpan(int v) {
      maxLinksPerSpan = positive("maxLinksPerSpan", v);
      return this;
    }

    private static int positive(String name, int v) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + ": " + v + " (expected: > 0)");
      }
      return v;
    }

    public IngestLimits build() {
      return new IngestLimits(this);
    }
  }
}
