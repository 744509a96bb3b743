package dev.sextant.samples.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.Span;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shop service's HTTP side on the JDK server (which the agent instruments): routes with
 * {@code {param}} segments, RED metrics per route template, injected faults, and
 * {@code /admin/faults} and {@code /health}. The server span is renamed to {@code METHOD
 * /route/{template}} so traces and span-derived metrics read by route, not by URL.
 */
public final class HttpApp {
  /** Handles one routed request. Throwing {@link IllegalArgumentException} answers 400. */
  public interface Handler {
    Reply handle(Call call) throws Exception;
  }

  private record Route(String method, String template, String[] segments, Handler handler,
      boolean admin) {}

  private static final Logger log = LoggerFactory.getLogger(HttpApp.class);

  private final String service;
  private final ShopMetrics metrics;
  private final Faults faults;
  private final List<Route> routes = new ArrayList<>();
  private HttpServer server;
  private ExecutorService workers;

  public HttpApp(String service, ShopMetrics metrics, Faults faults) {
    this.service = service;
    this.metrics = metrics;
    this.faults = faults;
    route("GET", "/health", call -> Reply.json(200, Map.of("status", "ok")), true);
    route("GET", "/admin/faults", call -> Reply.json(200, faults.describe()), true);
    route("POST", "/admin/faults", call -> {
      faults.update(call.params());
      log.warn("{}: faults now {}", service, faults.describe());
      return Reply.json(200, faults.describe());
    }, true);
  }

  public HttpApp route(String method, String template, Handler handler) {
    return route(method, template, handler, false);
  }

  private HttpApp route(String method, String template, Handler handler, boolean admin) {
    routes.add(new Route(method, template, template.substring(1).split("/"), handler, admin));
    return this;
  }

  /** Binds loopback {@code port} (0 picks one) and returns the port bound. */
  public int start(int port, int threads) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
    workers = Executors.newFixedThreadPool(threads);
    server.setExecutor(workers);
    server.createContext("/", this::dispatch);
    server.start();
    return server.getAddress().getPort();
  }

  public void stop() {
    if (server != null) {
      server.stop(0);
      workers.shutdownNow();
    }
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    Map<String, String> params = new LinkedHashMap<>();
    Route route = match(method, path, params);
    Reply reply;
    String template = route == null ? "unmatched" : route.template();
    try (exchange) {
      if (route == null) {
        reply = Reply.error(404, "no route for " + method + " " + path);
      } else {
        Span.current().updateName(method + " " + template);
        Span.current().setAttribute("http.route", template);
        query(exchange.getRequestURI().getRawQuery(), params);
        reply = invoke(route, new Call(method, path, params, exchange.getRequestHeaders(),
            exchange.getRequestBody().readAllBytes()));
      }
      reply.headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      exchange.getResponseHeaders().set("Content-Type", reply.contentType);
      exchange.sendResponseHeaders(reply.status, reply.body.length == 0 ? -1 : reply.body.length);
      if (reply.body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(reply.body);
        }
      }
    } finally {
      if (route == null || !route.admin()) {
        // status is recorded even when writing the answer failed: the server meant it
        metrics.record(method, template, statusOf(exchange), System.nanoTime() - start);
      }
    }
  }

  private static int statusOf(HttpExchange exchange) {
    int code = exchange.getResponseCode();
    return code <= 0 ? 500 : code;
  }

  private Reply invoke(Route route, Call call) {
    try {
      if (!route.admin()) {
        if (faults.down()) {
          return Reply.error(503, service + " is down (injected fault)");
        }
        faults.maybeDelay();
      }
      Reply reply = route.handler().handle(call);
      if (reply.status >= 500) {
        log.error("{} {} answered {}: {}", call.method(), route.template(), reply.status,
            reply.bodyText());
      } else {
        log.info("{} {} answered {}", call.method(), route.template(), reply.status);
      }
      return reply;
    } catch (IllegalArgumentException e) {
      log.warn("{} {} refused: {}", call.method(), route.template(), e.getMessage());
      return Reply.error(400, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Reply.error(503, "interrupted");
    } catch (Exception e) {
      log.error("{} {} failed", call.method(), route.template(), e);
      Span.current().recordException(e);
      return Reply.error(500, e.toString());
    }
  }

  private Route match(String method, String path, Map<String, String> params) {
    String[] parts = path.length() <= 1 ? new String[] {""} : path.substring(1).split("/");
    for (Route r : routes) {
      if (!r.method().equals(method) || r.segments().length != parts.length) {
        continue;
      }
      Map<String, String> found = new LinkedHashMap<>();
      boolean ok = true;
      for (int i = 0; i < parts.length && ok; i++) {
        String seg = r.segments()[i];
        if (seg.startsWith("{") && seg.endsWith("}")) {
          found.put(seg.substring(1, seg.length() - 1), parts[i]);
        } else {
          ok = seg.equals(parts[i]);
        }
      }
      if (ok) {
        params.putAll(found);
        return r;
      }
    }
    return null;
  }

  private static void query(String raw, Map<String, String> params) {
    if (raw == null) {
      return;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      params.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
  }
}
