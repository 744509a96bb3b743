package dev.sextant.collector.internal;

/** The tenant of a request: the {@code X-Scope-OrgID} header, else {@code default}. */
public final class Tenants {
  public static final String HEADER = "x-scope-orgid";
  public static final String DEFAULT = "default";

  private Tenants() {}

  public static String fromHeader(String value) {
    if (value == null) {
      return DEFAULT;
    }
    String t = value.trim();
    // Bounded and printable: tenants become metric labels and storage keys.
    if (t.isEmpty() || t.length() > 128 || !t.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      return DEFAULT;
    }
    return t;
  }
}
