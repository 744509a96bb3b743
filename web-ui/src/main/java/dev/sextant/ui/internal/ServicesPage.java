package dev.sextant.ui.internal;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.storage.SpanSearch;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /ui/services}: every service with a latency sparkline (uPlot) of its most recent traces,
 * their error share and links to its slowest and failed traces. The numbers come from trace search
 * (the last {@value #SAMPLE} traces), not from the RED metrics, until the metrics API is wired in.
 */
public final class ServicesPage extends Page {
  static final int SAMPLE = 100;
  /** Where the uPlot webjar's files are served; the version comes from the jar itself. */
  static final String UPLOT = "/static/uplot/" + webjarVersion("uplot") + "/dist/";
  private final SpanSearch search;

  public ServicesPage(Templates templates, SpanSearch search) {
    super(templates);
    this.search = search;
  }

  @Override
  HttpResponse render(ServiceRequestContext ctx, Params p) {
    Map<String, Object> scope = Templates.scope("Services", "services");
    String lookback = p.str("lookback").isEmpty() ? "1h" : p.str("lookback");
    long from = Lookback.fromUnixNano(lookback);
    scope.put("lookbacks", Lookback.options(lookback));
    scope.put("uplot", UPLOT);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String s : search.services()) {
      rows.add(row(s, from, lookback));
    }
    scope.put("rows", rows);
    scope.put("empty", rows.isEmpty());
    return templates.page(HttpStatus.OK, "services", scope);
  }

  private Map<String, Object> row(String service, long from, String lookback) {
    List<TraceSummary> recent = new ArrayList<>(search.search(TraceQuery.builder()
        .serviceName(service).timeRange(from, Long.MAX_VALUE).limit(SAMPLE).build()));
    recent.sort(Comparator.comparingLong(TraceSummary::startUnixNano));
    StringBuilder xs = new StringBuilder("[");
    StringBuilder ys = new StringBuilder("[");
    long[] durations = new long[recent.size()];
    int errors = 0;
    for (int i = 0; i < recent.size(); i++) {
      TraceSummary t = recent.get(i);
      xs.append(i == 0 ? "" : ",").append(t.startUnixNano() / 1_000_000 / 1000.0);
      ys.append(i == 0 ? "" : ",").append(t.durationNanos() / 1e6);
      durations[i] = t.durationNanos();
      errors += t.errorCount() > 0 ? 1 : 0;
    }
    java.util.Arrays.sort(durations);
    String enc = Formats.url(service);
    Map<String, Object> m = new HashMap<>();
    m.put("name", service);
    m.put("color", Formats.color(service));
    m.put("operations", search.spanNames(service).size());
    m.put("traces", recent.size() + (recent.size() == SAMPLE ? "+" : ""));
    m.put("p50", durations.length == 0 ? "-" : Formats.duration(durations[durations.length / 2]));
    m.put("max", durations.length == 0 ? "-" : Formats.duration(durations[durations.length - 1]));
    m.put("errorPct", recent.isEmpty() ? "-"
        : String.format(Locale.ROOT, "%.1f%%", 100.0 * errors / recent.size()));
    m.put("hasErrors", errors > 0);
    m.put("series", "[" + xs + "]," + ys + "]]");
    m.put("searchLink", "/ui/search?service=" + enc + "&lookback=" + lookback);
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
    try (java.io.InputStream in = ServicesPage.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("webjar " + name + ": " + path + " not on the classpath");
      }
      java.util.Properties props = new java.util.Properties();
      props.load(in);
      return props.getProperty("version");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
