package dev.sextant.ui.internal;

import java.util.List;
import java.util.Map;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.text.TextContentRenderer;

/**
 * A playbook's Markdown as a page of the UI (templates {@code playbook} and {@code playbooks},
 * in the shared layout). Raw HTML in the Markdown is escaped and unsafe link schemes
 * ({@code javascript:} and the like) are dropped, so a playbook file cannot run script in the
 * UI's origin.
 */
final class PlaybookPage {
  private static final Parser PARSER = Parser.builder().build();
  private static final HtmlRenderer HTML =
      HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();
  private static final TextContentRenderer TEXT = TextContentRenderer.builder().build();

  private final Templates templates;

  PlaybookPage(Templates templates) {
    this.templates = templates;
  }

  /** The page for {@code markdown} read from {@code file}; titled by its first heading. */
  String render(String file, String markdown) {
    Node doc = PARSER.parse(markdown);
    String title = file;
    for (Node n = doc.getFirstChild(); n != null; n = n.getNext()) {
      if (n instanceof Heading) {
        title = TEXT.render(n).strip();
        break;
      }
    }
    Map<String, Object> scope = scope(title);
    scope.put("file", file);
    scope.put("html", HTML.render(doc)); // escaped and sanitised by the renderer
    return templates.render("playbook", scope);
  }

  /** The list of playbooks as links. */
  String index(List<String> files) {
    Map<String, Object> scope = scope("Playbooks");
    scope.put("files", files);
    return templates.render("playbooks", scope);
  }

  private static Map<String, Object> scope(String title) {
    Map<String, Object> scope = Templates.scope(title, "playbooks");
    scope.put("titleKind", "playbook");
    // No form to submit, and its policy lets no script run: the page loads none.
    scope.put("scriptless", Boolean.TRUE);
    return scope;
  }
}
