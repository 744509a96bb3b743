package dev.sextant.ui.internal;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheFactory;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders the mustache templates under classpath {@code /templates}. Compiled templates are cached
 * by the factory, which is thread-safe; {@code {{x}}} escapes HTML, so scope values are raw text.
 */
public final class Templates {
  private final MustacheFactory factory = new DefaultMustacheFactory("templates");
  private final Map<String, Object> layout;

  /** Templates whose shared layout shows the nav entries every page has. */
  public Templates() {
    this(false);
  }

  /** As {@link #Templates()}, with a Playbooks entry in the nav when {@code playbooks}. */
  public Templates(boolean playbooks) {
    this.layout = playbooks ? Map.of("playbooks", Boolean.TRUE) : Map.of();
  }

  /** A scope holding what the layout needs: the page title and which nav entry is active. */
  public static Map<String, Object> scope(String title, String nav) {
    Map<String, Object> m = new HashMap<>();
    m.put("title", title);
    m.put("nav_" + nav, Boolean.TRUE);
    return m;
  }

  public String render(String name, Map<String, Object> scope) {
    StringWriter out = new StringWriter(8192);
    // The page's own scope is searched first, then what the layout needs on every page.
    factory.compile(name + ".mustache").execute(out, new Object[] {layout, scope});
    return out.toString();
  }

  public HttpResponse page(HttpStatus status, String name, Map<String, Object> scope) {
    return HttpResponse.of(status, MediaType.HTML_UTF_8, render(name, scope));
  }

  /** JSON text of {@code value} (maps, lists, strings, numbers). */
  public static String json(Object value) {
    return Charts.json(value);
  }
}
