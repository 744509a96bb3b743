package dev.sextant.query.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sextant.query.promql.QueryResult;
import dev.sextant.storage.ReadWarnings;
import dev.sextant.storage.metrics.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Writes response bodies in Prometheus's exact JSON shape. */
final class ApiJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private ApiJson() {}

  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  static byte[] json(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] error(String errorType, String message) {
    return json(g -> {
      g.writeStartObject();
      g.writeStringField("status", "error");
      g.writeStringField("errorType", errorType);
      g.writeStringField("error", message);
      g.writeEndObject();
    });
  }

  /**
   * A success; {@code warnings} (may be null) are followed by what storage reported through
   * {@link ReadWarnings} on this thread so far (a cluster's store that did not answer).
   */
  static byte[] success(Body data, List<String> warnings, List<String> infos) {
    List<String> partial = ReadWarnings.current();
    if (!partial.isEmpty()) {
      List<String> all = new ArrayList<>(warnings == null ? List.of() : warnings);
      all.addAll(partial);
      warnings = all;
    }
    List<String> allWarnings = warnings;
    return json(g -> {
      g.writeStartObject();
      g.writeStringField("status", "success");
      g.writeFieldName("data");
      data.write(g);
      strings(g, "warnings", allWarnings);
      strings(g, "infos", infos);
      g.writeEndObject();
    });
  }

  private static void strings(JsonGenerator g, String field, List<String> values)
      throws IOException {
    if (values != null && !values.isEmpty()) {
      g.writeArrayFieldStart(field);
      for (String v : values) {
        g.writeString(v);
      }
      g.writeEndArray();
    }
  }

  static Body stringList(Collection<String> values) {
    return g -> {
      g.writeStartArray();
      for (String v : values) {
        g.writeString(v);
      }
      g.writeEndArray();
    };
  }

  static Body labelSets(Collection<Labels> sets) {
    return g -> {
      g.writeStartArray();
      for (Labels l : sets) {
        labels(g, l);
      }
      g.writeEndArray();
    };
  }

  static void labels(JsonGenerator g, Labels l) throws IOException {
    g.writeStartObject();
    // By index: the iterator makes a Label per label, for every series of every answer.
    for (int i = 0; i < l.size(); i++) {
      g.writeStringField(l.name(i), l.value(i));
    }
    g.writeEndObject();
  }

  static Body result(QueryResult r) {
    return g -> {
      g.writeStartObject();
      g.writeStringField("resultType", r.type().apiName());
      g.writeFieldName("result");
      switch (r.type()) {
        case SCALAR -> point(g, r.timeMs(), formatValue(r.scalar()));
        case STRING -> point(g, r.timeMs(), r.string());
        case VECTOR -> {
          g.writeStartArray();
          // Every sample of an instant vector has the query's time: formatted once.
          long time = r.timeMs();
          String timeText = formatTime(time);
          for (QueryResult.Sample s : r.vector()) {
            g.writeStartObject();
            g.writeFieldName("metric");
            labels(g, s.labels());
            g.writeFieldName("value");
            point(g, s.timeMs() == time ? timeText : formatTime(s.timeMs()),
                formatValue(s.value()));
            g.writeEndObject();
          }
          g.writeEndArray();
        }
        case MATRIX -> {
          g.writeStartArray();
          for (QueryResult.Series s : r.matrix()) {
            g.writeStartObject();
            g.writeFieldName("metric");
            labels(g, s.labels());
            g.writeArrayFieldStart("values");
            for (int i = 0; i < s.timesMs().length; i++) {
              point(g, s.timesMs()[i], formatValue(s.values()[i]));
            }
            g.writeEndArray();
            g.writeEndObject();
          }
          g.writeEndArray();
        }
      }
      g.writeEndObject();
    };
  }

  private static void point(JsonGenerator g, long timeMs, String value) throws IOException {
    point(g, formatTime(timeMs), value);
  }

  private static void point(JsonGenerator g, String timeText, String value) throws IOException {
    g.writeStartArray();
    g.writeNumber(timeText);
    g.writeString(value);
    g.writeEndArray();
  }

  /** Seconds with up to three fixed decimals, as Prometheus's MarshalTimestamp writes them. */
  static String formatTime(long t) {
    StringBuilder sb = new StringBuilder();
    if (t < 0) {
      sb.append('-');
      t = -t;
    }
    sb.append(t / 1000);
    long frac = t % 1000;
    if (frac != 0) {
      sb.append('.');
      if (frac < 100) {
        sb.append('0');
      }
      if (frac < 10) {
        sb.append('0');
      }
      sb.append(frac);
    }
    return sb.toString();
  }

  /** Go's strconv.FormatFloat(v, 'f', -1, 64) with Prometheus's +Inf/-Inf/NaN spellings. */
  static String formatValue(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0" : "0";
    }
    // Integers (most counters and gauges) below 1e15: exactly representable, and both Go and
    // Double.toString print them as the integer's digits, so the long's are the same text
    // without the BigDecimal.
    if (Math.abs(v) < 1e15 && v == (long) v) {
      return Long.toString((long) v);
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }
}
