package dev.sextant.ui.internal;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.query.graph.ServiceGraph;
import dev.sextant.query.graph.ServiceGraphs;
import dev.sextant.storage.Storage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /ui/map?lookback=1h}: the service dependency graph of recent traces drawn as SVG, laid
 * out in layers from the entry points ({@link GraphLayout}); edges carry calls, error rate and
 * p90 latency, coloured by error rate; each node links to its service page.
 */
public final class MapPage extends Page {
  static final int NODE_W = 176;
  static final int NODE_H = 48;
  static final int COL = 340;
  static final int ROW = 84;
  static final int PAD = 24;
  private final Storage storage;

  public MapPage(Templates templates, Storage storage) {
    super(templates);
    this.storage = storage;
  }

  @Override
  HttpResponse render(ServiceRequestContext ctx, Params p) {
    Map<String, Object> scope = Templates.scope("Service map", "map");
    String lookback = p.str("lookback").isEmpty() ? "1h" : p.str("lookback");
    scope.put("lookbacks", Lookback.options(lookback));
    long from = Lookback.fromUnixNano(lookback);
    ServiceGraph g = ServiceGraphs.collect(storage, from, Long.MAX_VALUE,
        ServiceGraphs.DEFAULT_MAX_TRACES);
    scope.put("traces", g.tracesScanned());
    scope.put("truncated", g.truncated());
    scope.put("empty", g.services().isEmpty());
    draw(scope, g, lookback);
    return templates.page(HttpStatus.OK, "map", scope);
  }

  static void draw(Map<String, Object> scope, ServiceGraph g, String lookback) {
    List<String> names = g.services();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      index.put(names.get(i), i);
    }
    List<int[]> pairs = new ArrayList<>();
    long[] in = new long[names.size()];
    long[] inErr = new long[names.size()];
    long[] out = new long[names.size()];
    for (ServiceGraph.Edge e : g.edges()) {
      int a = index.get(e.caller());
      int b = index.get(e.callee());
      pairs.add(new int[] {a, b});
      in[b] += e.calls();
      inErr[b] += e.errors();
      out[a] += e.calls();
    }
    GraphLayout.Result l = GraphLayout.layout(names.size(), pairs);
    int total = l.layer().length;
    int[] x = new int[total];
    int[] y = new int[total];
    int[] perLayer = new int[Math.max(1, l.layers())];
    for (int i = 0; i < total; i++) {
      perLayer[l.layer()[i]]++;
    }
    for (int i = 0; i < total; i++) {
      x[i] = PAD + l.layer()[i] * COL;
      y[i] = PAD + (l.maxPerLayer() - perLayer[l.layer()[i]]) * ROW / 2 + l.order()[i] * ROW;
    }
    int bottom = PAD + Math.max(1, l.maxPerLayer()) * ROW;
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String s = names.get(i);
      Map<String, Object> m = new HashMap<>();
      m.put("name", s);
      m.put("label", s.length() > 22 ? s.substring(0, 21) + "…" : s);
      m.put("x", x[i]);
      m.put("y", y[i]);
      m.put("color", Formats.color(s));
      m.put("href", "/ui/services/" + Formats.url(s).replace("+", "%20") + "?range="
          + (lookback.equals("all") ? "7d" : lookback));
      m.put("stats", in[i] > 0 ? in[i] + " in · " + pct(inErr[i], in[i]) + " err"
          : out[i] > 0 ? out[i] + " calls out" : "no calls");
      m.put("hasErrors", inErr[i] > 0);
      nodes.add(m);
    }
    List<Map<String, Object>> edges = new ArrayList<>();
    int lowest = bottom;
    for (int k = 0; k < g.edges().size(); k++) {
      ServiceGraph.Edge e = g.edges().get(k);
      int a = pairs.get(k)[0];
      int b = pairs.get(k)[1];
      Map<String, Object> m = new HashMap<>();
      double rate = e.calls() == 0 ? 0 : (double) e.errors() / e.calls();
      m.put("cls", rate >= 0.05 ? "err-high" : rate > 0 ? "err-low" : "ok");
      m.put("width", String.format(Locale.ROOT, "%.1f", 1.2 + Math.log10(1 + e.calls())));
      m.put("label", e.calls() + " calls · " + pct(e.errors(), e.calls()) + " err");
      m.put("latency", "p90 " + Formats.duration(e.p90Nanos()));
      m.put("title", e.caller() + " → " + e.callee() + ": " + e.calls() + " calls, "
          + e.errors() + " errors, p50 " + Formats.duration(e.p50Nanos()) + ", p99 "
          + Formats.duration(e.p99Nanos()));
      m.put("caller", e.caller());
      m.put("callee", e.callee());
      m.put("calls", e.calls());
      m.put("errors", e.errors());
      m.put("errorPct", pct(e.errors(), e.calls()));
      m.put("p50", Formats.duration(e.p50Nanos()));
      m.put("p90", Formats.duration(e.p90Nanos()));
      m.put("p99", Formats.duration(e.p99Nanos()));
      int lx;
      int ly;
      if (!l.backEdge()[k] && l.layer()[b] > l.layer()[a]) {
        // Through the edge's virtual nodes: straight across each, curved between layers.
        StringBuilder d = new StringBuilder();
        int x1 = x[a] + NODE_W;
        int y1 = y[a] + NODE_H / 2;
        d.append('M').append(x1).append(' ').append(y1);
        lx = -1;
        ly = 0;
        int[] via = l.chain()[k];
        for (int j = 0; j <= via.length; j++) {
          boolean last = j == via.length;
          int x2 = last ? x[b] - 6 : x[via[j]];
          int y2 = (last ? y[b] : y[via[j]]) + NODE_H / 2;
          int dx = Math.max(30, (x2 - x1) / 2);
          d.append(" C").append(x1 + dx).append(' ').append(y1).append(' ').append(x2 - dx)
              .append(' ').append(y2).append(' ').append(x2).append(' ').append(y2);
          if (lx < 0) {
            lx = (x1 + x2) / 2;
            ly = (y1 + y2) / 2 - 6;
          }
          if (!last) {
            x1 = x2 + NODE_W;
            y1 = y2;
            d.append(" L").append(x1).append(' ').append(y1);
          }
        }
        m.put("d", d.toString());
      } else if (a == b) {
        int cx = x[a] + NODE_W / 2;
        m.put("d", "M" + (cx - 20) + " " + y[a] + " C" + (cx - 30) + " " + (y[a] - 40) + " "
            + (cx + 30) + " " + (y[a] - 40) + " " + (cx + 20) + " " + (y[a] - 4));
        lx = cx;
        ly = y[a] - 34;
      } else {
        m.put("back", true);
        // Against the flow (a cycle) or within a layer: loop under the nodes.
        int x1 = x[a] + NODE_W / 2;
        int x2 = x[b] + NODE_W / 2;
        int depth = bottom + 24 + 18 * (k % 6);
        m.put("d", "M" + x1 + " " + (y[a] + NODE_H) + " C" + x1 + " " + depth + " " + x2 + " "
            + depth + " " + x2 + " " + (y[b] + NODE_H + 6));
        // The curve's lowest point (t = 1/2 of the cubic).
        lx = (x1 + x2) / 2;
        ly = (int) (0.75 * depth + 0.125 * (y[a] + y[b] + 2 * NODE_H)) - 4;
        lowest = Math.max(lowest, depth + 30);
      }
      m.put("lx", lx);
      m.put("ly", ly);
      m.put("ly2", ly + 13);
      edges.add(m);
    }
    scope.put("nodes", nodes);
    scope.put("edges", edges);
    scope.put("width", PAD * 2 + Math.max(1, l.layers()) * COL - (COL - NODE_W));
    scope.put("height", lowest + PAD);
    scope.put("nodeW", NODE_W);
    scope.put("nodeH", NODE_H);
  }

  private static String pct(long part, long whole) {
    return whole == 0 ? "0%" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
  }
}
