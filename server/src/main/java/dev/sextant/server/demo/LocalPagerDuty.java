package dev.sextant.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.Server;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A PagerDuty stand-in inside the demo process: {@code POST /v2/enqueue} with the Events API v2
 * body, checked as PagerDuty checks it (400 naming the field otherwise), answered 202 like
 * PagerDuty, and printed to the console: summary, playbook link, evidence. Loopback only.
 */
public final class LocalPagerDuty implements AutoCloseable {
  /** One accepted event. {@code summary} of a resolve is the one its trigger had. */
  public record Page(String action, String dedupKey, String summary, JsonNode body) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintStream out;
  private final List<Page> pages = new CopyOnWriteArrayList<>();
  private final Map<String, String> summaries = new ConcurrentHashMap<>();
  private final Set<String> open = ConcurrentHashMap.newKeySet();
  private final Server server;

  public LocalPagerDuty(PrintStream out) {
    this.out = out;
    this.server = Server.builder()
        .http(new InetSocketAddress("127.0.0.1", 0))
        .service("/v2/enqueue", (ctx, req) -> HttpResponse.of(req.aggregate()
            .thenApply(r -> accept(r.contentUtf8()))))
        .build();
    server.start().join();
  }

  /** The Events API URL to configure as the receiver's {@code url}. */
  public String url() {
    return "http://127.0.0.1:" + server.activeLocalPort() + "/v2/enqueue";
  }

  public List<Page> pages() {
    return List.copyOf(pages);
  }

  HttpResponse accept(String text) {
    JsonNode body;
    try {
      body = JSON.readTree(text);
    } catch (IOException e) {
      return invalid("body: not JSON");
    }
    String action = body.path("event_action").asText("");
    if (body.path("routing_key").asText("").isEmpty()) {
      return invalid("routing_key: missing");
    }
    if (!List.of("trigger", "acknowledge", "resolve").contains(action)) {
      return invalid("event_action: '" + action + "' (expected: trigger, acknowledge, resolve)");
    }
    String dedup = body.path("dedup_key").asText("");
    if (action.equals("trigger")) {
      JsonNode p = body.path("payload");
      for (String f : new String[] {"summary", "source", "severity"}) {
        if (p.path(f).asText("").isEmpty()) {
          return invalid("payload." + f + ": missing");
        }
      }
      summaries.put(dedup, p.path("summary").asText());
    } else if (dedup.isEmpty()) {
      return invalid("dedup_key: missing (required for " + action + ")");
    }
    Page page = new Page(action, dedup, summaries.getOrDefault(dedup, "(unknown incident)"), body);
    pages.add(page);
    // PagerDuty folds a trigger for an open incident into it; printed as a one-line update
    boolean update = action.equals("trigger") && !open.add(dedup);
    if (action.equals("resolve")) {
      open.remove(dedup);
    }
    print(page, update);
    return HttpResponse.ofJson(HttpStatus.ACCEPTED,
        Map.of("status", "success", "message", "Event processed", "dedup_key", dedup));
  }

  private static HttpResponse invalid(String error) {
    return HttpResponse.ofJson(HttpStatus.BAD_REQUEST, Map.of("status", "invalid event",
        "message", "Event object is invalid", "errors", List.of(error)));
  }

  private void print(Page page, boolean update) {
    StringBuilder sb = new StringBuilder("\n");
    String shortKey = page.dedupKey().length() > 12
        ? page.dedupKey().substring(0, 12) + "…" : page.dedupKey();
    if (!page.action().equals("trigger")) {
      sb.append("PAGE ").append(page.action().toUpperCase(Locale.ROOT)).append(": ")
          .append(page.summary()).append("  (incident ").append(shortKey).append(")\n");
      synchronized (out) {
        out.print(sb);
        out.flush();
      }
      return;
    }
    JsonNode p = page.body().path("payload");
    JsonNode evidence = p.path("custom_details").path("evidence");
    if (update) {
      sb.setLength(0);
      sb.append("PAGE UPDATE (same incident ").append(shortKey).append("): ")
          .append(page.summary()).append('\n');
      findings(evidence, sb); // what the update learned since the incident opened
      synchronized (out) {
        out.print(sb);
        out.flush();
      }
      return;
    }
    sb.append("PAGE TRIGGER [").append(p.path("severity").asText()).append("]: ")
        .append(page.summary()).append("  (incident ").append(shortKey).append(")\n");
    List<String> alerts = new ArrayList<>();
    p.path("custom_details").path("alerts").forEach(a -> alerts.add(
        a.path("labels").path("job").asText(a.path("labels").path("service_name").asText("?"))
            + ": " + a.path("annotations").path("description").asText("")));
    alerts.forEach(a -> sb.append("    alert     ").append(a).append('\n'));
    for (JsonNode link : page.body().path("links")) {
      String text = link.path("text").asText();
      if (text.equals("Playbook") || text.equals("Runbook")) {
        sb.append("    playbook  ").append(link.path("href").asText()).append('\n');
      }
    }
    findings(evidence, sb);
    evidence.path("traces").forEach(t -> sb.append("    evidence  trace ")
        .append(t.path("href").asText()).append("  ").append(t.path("text").asText())
        .append('\n'));
    evidence.path("error_logs").forEach(l -> sb.append("    evidence  log   ")
        .append(l.path("count").asLong()).append("x [").append(l.path("service").asText())
        .append("] ").append(truncate(l.path("message").asText(), 120)).append('\n'));
    synchronized (out) {
      out.print(sb);
      out.flush();
    }
  }

  /** The findings: what sets the failing traces apart, where the critical path shifted. */
  private static void findings(JsonNode evidence, StringBuilder sb) {
    evidence.path("findings").forEach(f -> sb.append("    finding   ")
        .append(truncate(f.asText(), 200)).append('\n'));
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }

  @Override
  public void close() {
    server.stop().join();
  }
}
