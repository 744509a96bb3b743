package dev.sextant.server.internal;

import java.util.List;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.text.TextContentRenderer;

/**
 * A playbook's Markdown as an HTML page in the UI's look. Raw HTML in the Markdown is escaped and
 * unsafe link schemes ({@code javascript:} and the like) are dropped, so a playbook file cannot
 * run script in the UI's origin.
 */
final class PlaybookPage {
  private static final Parser PARSER = Parser.builder().build();
  private static final HtmlRenderer HTML =
      HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();
  private static final TextContentRenderer TEXT = TextContentRenderer.builder().build();

  private PlaybookPage() {}

  /** The page for {@code markdown} read from {@code file}; titled by its first heading. */
  static String render(String file, String markdown) {
    Node doc = PARSER.parse(markdown);
    String title = file;
    for (Node n = doc.getFirstChild(); n != null; n = n.getNext()) {
      if (n instanceof Heading) {
        title = TEXT.render(n).strip();
        break;
      }
    }
    return head(title) + "<p class=\"muted\"><a href=\"/playbooks/\">All playbooks</a> · "
        + "<a href=\"/playbooks/" + escape(file) + "?raw\">Markdown source</a></p>\n"
        + "<article class=\"playbook\">\n" + HTML.render(doc) + "</article>\n" + FOOT;
  }

  /** The list of playbooks as links. */
  static String index(List<String> files) {
    StringBuilder b = new StringBuilder(head("Playbooks")).append("<h1>Playbooks</h1>\n<ul>\n");
    for (String f : files) {
      b.append("<li><a href=\"/playbooks/").append(escape(f)).append("\">").append(escape(f))
          .append("</a></li>\n");
    }
    if (files.isEmpty()) {
      b.append("<li class=\"muted\">none yet</li>\n");
    }
    return b.append("</ul>\n").append(FOOT).toString();
  }

  private static String head(String title) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<title>" + escape(title) + " · Sextant playbook</title>\n"
        + "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">\n"
        + "<link rel=\"stylesheet\" href=\"/static/sextant.css\">\n</head>\n<body>\n"
        + "<header class=\"top\">\n  <a class=\"brand\" href=\"/ui/search\"><span class=\"logo\">"
        + "◎</span> Sextant</a>\n  <nav><a href=\"/ui/alerts\">Alerts</a>"
        + "<a href=\"/playbooks/\" class=\"active\">Playbooks</a></nav>\n</header>\n<main>\n";
  }

  private static final String FOOT = "</main>\n</body>\n</html>\n";

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
