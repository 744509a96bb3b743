package dev.sextant.alert.internal.template;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A parsed alert label or annotation template: the Go text/template subset Prometheus rule authors
 * use, with Prometheus's variables ({@code $labels}, {@code $externalLabels}, {@code $externalURL},
 * {@code $value}), data ({@code .Labels}, {@code .ExternalLabels}, {@code .ExternalURL},
 * {@code .Value}) and functions ({@code humanize*}, {@code printf}, {@code title}, {@code query},
 * ...). Missing map keys yield "" (Prometheus's {@code missingkey=zero}).
 *
 * <p>Parse once with {@link #parse}; {@link #expand} is the never-failing form rules use: an error
 * becomes the value {@code <error expanding template: ...>}, as in Prometheus.
 */
public final class AlertTemplate {
  private static final Set<String> VARS =
      Set.of("$labels", "$externalLabels", "$externalURL", "$value");

  private final String name;
  private final List<Node> nodes;

  private AlertTemplate(String name, List<Node> nodes) {
    this.name = name;
    this.nodes = nodes;
  }

  /**
   * Parses {@code text}; {@code name} appears in error messages (Prometheus uses
   * {@code __alert_<alertname>}).
   *
   * @throws TemplateException on a syntax error, an undefined variable or an unknown function
   */
  public static AlertTemplate parse(String name, String text) throws TemplateException {
    requireNonNull(name, "name");
    requireNonNull(text, "text");
    return new AlertTemplate(name, TemplateParser.parse(name, text, Funcs.names(), VARS));
  }

  /** Whether {@code text} contains template actions at all (plain strings skip templating). */
  public static boolean isTemplated(String text) {
    return text.contains("{{");
  }

  /**
   * Executes the template.
   *
   * @throws TemplateException with Go's message when execution fails
   */
  public String execute(TemplateContext ctx) throws TemplateException {
    requireNonNull(ctx, "ctx");
    Map<String, Object> data = new LinkedHashMap<>();
    Map<String, String> labels = new TreeMap<>(ctx.labels());
    Map<String, String> ext = new TreeMap<>(ctx.externalLabels());
    data.put("Labels", labels);
    data.put("ExternalLabels", ext);
    data.put("ExternalURL", ctx.externalUrl());
    data.put("Value", ctx.value());
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("$labels", labels);
    vars.put("$externalLabels", ext);
    vars.put("$externalURL", ctx.externalUrl());
    vars.put("$value", ctx.value());
    return new Executor(name, ctx).run(nodes, new GoStruct("template.tmplData", data), vars);
  }

  /**
   * Parses and executes {@code text}; never throws. Errors come back as
   * {@code <error expanding template: MESSAGE>}, which is what Prometheus puts in the annotation.
   */
  public static String expand(String name, String text, TemplateContext ctx) {
    if (!isTemplated(text)) {
      return text;
    }
    try {
      return parse(name, text).execute(ctx);
    } catch (TemplateException e) {
      return "<error expanding template: " + e.getMessage() + ">";
    } catch (RuntimeException e) {
      // A bug in a function must cost one annotation, not the evaluation of the rule.
      return "<error expanding template: " + e + ">";
    }
  }

  public String name() {
    return name;
  }
}
