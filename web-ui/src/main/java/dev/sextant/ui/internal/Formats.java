package dev.sextant.ui.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Text forms of durations, times and service colours shared by the pages and the scripts. */
final class Formats {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private Formats() {}

  /** {@code 812ns}, {@code 12.3µs}, {@code 45.6ms}, {@code 1.23s}, {@code 2m 5s}, {@code 3h 2m}. */
  static String duration(long nanos) {
    if (nanos < 1_000) {
      return nanos + "ns";
    }
    if (nanos < 1_000_000) {
      return trim(nanos / 1e3) + "µs";
    }
    if (nanos < 1_000_000_000) {
      return trim(nanos / 1e6) + "ms";
    }
    long secs = nanos / 1_000_000_000;
    if (secs < 60) {
      return trim(nanos / 1e9) + "s";
    }
    if (secs < 3600) {
      return secs / 60 + "m " + secs % 60 + "s";
    }
    return secs / 3600 + "h " + secs % 3600 / 60 + "m";
  }

  private static String trim(double v) {
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
        : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
        : String.format(Locale.ROOT, "%.2f", v);
  }

  /** UTC wall time with milliseconds. */
  static String time(long unixNano) {
    return TIME.format(Instant.ofEpochSecond(0, unixNano)) + "Z";
  }

  /**
   * A stable colour per service. The hue is Java's {@link String#hashCode()}, which
   * {@code waterfall.js} computes the same way, so a service has one colour on every page.
   */
  static String color(String service) {
    return "hsl(" + Math.floorMod(service.hashCode(), 360) + ",62%,58%)";
  }

  static String url(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * {@code href} when it is an http(s) or site-relative link, else {@code #}: annotations are
   * templated from label values, which anyone who can send metrics controls, so a
   * {@code javascript:} URL must never become a link.
   */
  static String safeHref(String href) {
    String h = href.toLowerCase(Locale.ROOT);
    return h.startsWith("http://") || h.startsWith("https://")
        || (h.startsWith("/") && !h.startsWith("//")) ? href : "#";
  }

  /** A value in its unit: {@code 45.2ms}, {@code 3.10/s}, {@code 1.5%}; {@code –} for NaN. */
  static String value(double v, String unit) {
    if (!Double.isFinite(v)) {
      return "–";
    }
    return switch (unit) {
      case "seconds" -> duration((long) (v * 1e9));
      case "ratio" -> trim(v * 100) + "%";
      case "requests/s" -> trim(v) + "/s";
      default -> trim(v);
    };
  }

  /** Four significant digits ({@code 0.1791}, {@code 3.309}, {@code 12345}): alert values. */
  static String significant(double v) {
    if (!Double.isFinite(v) || v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Double.isFinite(v) ? Long.toString((long) v) : Double.toString(v);
    }
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros()
        .toPlainString();
  }
}
