package dev.sextant.collector.scrape;

import dev.sextant.storage.metrics.MetricMetadata;
import java.util.List;

/**
 * Walks the sample lines of an exposition body in place, for {@link ScrapeLoop}: for each it
 * finds the series text ({@code name} or {@code name{...}}) and its hash without decoding it;
 * {@link #fastValue()} then reads a plain value and timestamp from the bytes, and anything else
 * (exemplars, {@code NaN}, exponents, OpenMetrics timestamps, errors) goes through
 * {@link TextFormatParser} line by line, so both paths accept and reject exactly the same lines.
 * Comment and blank lines are handled here; {@code # EOF} ends the body.
 */
final class ExpositionReader {
  private static final double[] POW10 = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
      1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  private static final long EXACT = 1L << 53;

  private final byte[] body;
  private final TextFormatParser parser;
  private int pos;
  private int lineNo;
  private int lineFrom;
  private int lineTo;
  /** The series text of the current line; empty when it does not look like one. */
  int seriesFrom;
  int seriesTo;
  int hash;
  /** Set by {@link #fastValue()}; {@code time} is -1 without a timestamp. */
  double value;
  long time;

  ExpositionReader(byte[] body, boolean openMetrics) {
    this.body = body;
    this.parser = new TextFormatParser(openMetrics);
  }

  /** Advances to the next sample line; false at the end or at {@code # EOF}. */
  boolean next() {
    while (pos < body.length) {
      int end = pos;
      while (end < body.length && body[end] != '\n') {
        end++;
      }
      lineFrom = pos;
      lineTo = end > pos && body[end - 1] == '\r' ? end - 1 : end;
      pos = end + 1;
      lineNo++;
      if (lineTo == lineFrom) {
        continue;
      }
      byte first = body[lineFrom];
      if (first == '#') {
        if (parser.comment(ScrapeLoop.text(body, lineFrom, lineTo))) {
          pos = body.length;
          return false;
        }
        continue;
      }
      if (!isNameChar(first, true)) {
        if (ScrapeLoop.text(body, lineFrom, lineTo).isBlank()) {
          continue;
        }
        seriesFrom = seriesTo = lineFrom; // not a series: the slow path reports the error
        return true;
      }
      seriesFrom = lineFrom;
      seriesTo = seriesEnd();
      hash = SeriesCache.hash(body, seriesFrom, seriesTo);
      return true;
    }
    return false;
  }

  /** The metadata of the TYPE/HELP/UNIT lines read so far. */
  List<MetricMetadata> metadata() {
    return parser.metadata();
  }

  /** The current line parsed by {@link TextFormatParser}; null when dropped. */
  ScrapedSample slowSample() throws TextFormatParser.ParseException {
    return parser.sample(ScrapeLoop.text(body, lineFrom, lineTo), lineNo);
  }

  /** Reads {@code value [timestamp]} after the series text; false when it needs the slow path. */
  boolean fastValue() {
    int p = seriesTo;
    if (p >= lineTo || (body[p] != ' ' && body[p] != '\t')) {
      return false;
    }
    p = skipBlanks(p);
    int valueEnd = tokenEnd(p);
    if (!decimal(p, valueEnd)) {
      return false;
    }
    p = skipBlanks(valueEnd);
    if (p == lineTo) {
      time = -1;
      return true;
    }
    if (parser.openMetrics()) {
      return false; // timestamps in seconds
    }
    int timeEnd = tokenEnd(p);
    if (!integer(p, timeEnd) || skipBlanks(timeEnd) != lineTo) {
      return false;
    }
    return true;
  }

  /** The end of {@code name} or {@code name{...}}, or the line start when it is neither. */
  private int seriesEnd() {
    int i = lineFrom;
    while (i < lineTo && isNameChar(body[i], i == lineFrom)) {
      i++;
    }
    if (i == lineTo || body[i] != '{') {
      return i;
    }
    boolean quoted = false;
    for (i++; i < lineTo; i++) {
      byte c = body[i];
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == '}') {
        return i + 1;
      }
    }
    return lineFrom;
  }

  /** {@code -?[0-9]+(\.[0-9]+)?} that a double holds exactly scaled: m / 10^k is exact. */
  private boolean decimal(int from, int to) {
    boolean negative = from < to && body[from] == '-';
    int i = negative ? from + 1 : from;
    long m = 0;
    int digits = 0;
    int fraction = -1;
    for (; i < to; i++) {
      byte c = body[i];
      if (c >= '0' && c <= '9') {
        m = m * 10 + (c - '0');
        if (++digits > 18) {
          return false;
        }
        if (fraction >= 0) {
          fraction++;
        }
      } else if (c == '.' && fraction < 0 && digits > 0) {
        fraction = 0;
      } else {
        return false;
      }
    }
    if (digits == 0 || fraction == 0 || m > EXACT) {
      return false;
    }
    double v = fraction > 0 ? m / POW10[fraction] : (double) m;
    value = negative ? -v : v;
    return true;
  }

  private boolean integer(int from, int to) {
    boolean negative = from < to && body[from] == '-';
    int i = negative ? from + 1 : from;
    if (i == to || to - i > 18) {
      return false;
    }
    long t = 0;
    for (; i < to; i++) {
      byte c = body[i];
      if (c < '0' || c > '9') {
        return false;
      }
      t = t * 10 + (c - '0');
    }
    time = negative ? -t : t;
    return true;
  }

  private int skipBlanks(int p) {
    while (p < lineTo && (body[p] == ' ' || body[p] == '\t')) {
      p++;
    }
    return p;
  }

  private int tokenEnd(int p) {
    while (p < lineTo && body[p] != ' ' && body[p] != '\t') {
      p++;
    }
    return p;
  }

  private static boolean isNameChar(byte c, boolean first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
        || (!first && c >= '0' && c <= '9');
  }
}
