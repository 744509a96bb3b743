package dev.sextant.collector;

/**
 * Per-request and per-item limits. Over a per-item limit the item is truncated and the dropped
 * counts recorded, as the OpenTelemetry SDKs do; over the request limit the request is refused.
 */
public final class IngestLimits {
  private final int maxRequestBytes;
  private final int maxAttributes;
  private final int maxAttributeValueLength;
  private final int maxAnyValueDepth;
  private final int maxEventsPerSpan;
  private final int maxLinksPerSpan;

  private IngestLimits(Builder b) {
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

  /** Builds {@link IngestLimits}; every value must be positive. */
  public static final class Builder {
    private int maxRequestBytes = 16 << 20;
    private int maxAttributes = 128;
    private int maxAttributeValueLength = 4096;
    private int maxAnyValueDepth = 8;
    private int maxEventsPerSpan = 128;
    private int maxLinksPerSpan = 128;

    private Builder() {}

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
