package dev.sextant.ui.internal;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.storage.SpanSearch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code /ui/services?range=1h}: every service with latency (p90), traffic, errors and saturation
 * sparklines (uPlot) over the range and their latest values, from the span-derived RED series
 * ({@link Signals}), with links to its page, slowest and failed traces and logs.
 */
public final class ServicesPage extends Page {
  /** Where the uPlot webjar's files are served; the version comes from the jar itself. */
  static final String UPLOT = "/static/uplot/" + webjarVersion("uplot") + "/dist/";
  private final SpanSearch search;
  private final PromqlEngine engine;

  public ServicesPage(Templates templates, SpanSearch search, PromqlEngine engine) {
    super(templates);
    this.search = search;
    this.engine = engine;
  }

  @Override
  HttpResponse render(ServiceRequestContext ctx, Params p) {
    Map<String, Object> scope = Templates.scope("Services", "services");
    String range = p.str("range").isEmpty() ? "1h" : p.str("range");
    long rangeMs = Ranges.millis("range", range);
    scope.put("ranges", Ranges.options(range));
    scope.put("uplot", UPLOT);
    long end = System.currentTimeMillis();
    long step = step(rangeMs);
    Signals signals = new Signals(engine, end - rangeMs, end, step, window(step));
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String s : search.services()) {
      rows.add(row(s, signals, range));
    }
    scope.put("rows", rows);
    scope.put("empty", rows.isEmpty());
    return templates.page(HttpStatus.OK, "services", scope);
  }

  /** A step giving at most ~240 points, and never below 5s: RED series come every 15s. */
  static long step(long rangeMs) {
    return Math.max(5_000, Ranges.autoStepMillis(rangeMs));
  }

  /** The rate window: at least a minute, so that it always spans two RED samples. */
  static long window(long stepMs) {
    return Math.max(60_000, 2 * stepMs);
  }

  private Map<String, Object> row(String service, Signals signals, String range) {
    String enc = Formats.url(service);
    String lookback = Lookback.closest(range);
    Map<String, Object> m = new HashMap<>();
    m.put("name", service);
    m.put("color", Formats.color(service));
    List<Map<String, Object>> sparks = new ArrayList<>();
    for (String[] k : Signals.KINDS) {
      sparks.add(Map.of("signal", k[0], "title", k[2],
          "chart", Charts.json(signals.chart(k[0], k[1], service)),
          "now", Formats.value(signals.last(k[0], service), k[1]),
          "alarm", k[0].equals("errors") && signals.last("errors", service) > 0));
    }
    m.put("sparks", sparks);
    m.put("pageLink", "/ui/services/" + enc.replace("+", "%20") + "?range=" + range);
    m.put("slowLink", "/ui/search?service=" + enc + "&order=duration&lookback=" + lookback);
    m.put("errorsLink", "/ui/search?service=" + enc + "&errors=on&lookback=" + lookback);
    m.put("logsLink", "/ui/logs?service=" + enc + "&lookback=" + lookback);
    return m;
  }

  /** Service select options: "any" first, then every service, {@code selected} marked. */
  static List<Map<String, Object>> options(List<String> services, String selected) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String s : services) {
      out.add(Map.of("name", s, "selected", s.equals(selected)));
    }
    return out;
  }

  private static String webjarVersion(String name) {
    String path = "META-INF/maven/org.webjars.npm/" + name + "/pom.properties";
    try (InputStream in = ServicesPage.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("webjar " + name + ": " + path + " not on the classpath");
      }
      Properties props = new Properties();
      props.load(in);
      return props.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
