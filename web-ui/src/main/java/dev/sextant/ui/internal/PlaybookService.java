package dev.sextant.ui.internal;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Read-only {@code GET /playbooks/{name}}: the Markdown files of one configured directory, so the
 * playbook links in alerts and pages resolve on Sextant itself. {@code GET /playbooks/} lists
 * them. Only plain names are served ({@code [A-Za-z0-9][A-Za-z0-9._-]*.md}, ".md" optional in
 * the URL); anything else, including {@code ..} or an encoded slash, is refused with 400, and a
 * file whose real path leaves the directory (a symlink) is not found.
 *
 * <p>A playbook is rendered as a page of the UI (its raw HTML escaped, see
 * {@link PlaybookPage}); the Markdown itself is served at the same URL with {@code ?raw}, or to a
 * client whose {@code Accept} names {@code text/markdown} or {@code text/plain} but not
 * {@code text/html} (as scripts and pagers do).
 */
public final class PlaybookService implements HttpService {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final long MAX_BYTES = 1 << 20;
  private static final MediaType MARKDOWN = MediaType.parse("text/markdown; charset=utf-8");

  private final Path dir;
  private final PlaybookPage pages;

  /** Serves the playbooks of {@code dir} at {@code /playbooks/} and {@code /playbooks/{name}}. */
  public PlaybookService(Templates templates, Path dir) {
    this.pages = new PlaybookPage(requireNonNull(templates, "templates"));
    this.dir = requireNonNull(dir, "dir").toAbsolutePath().normalize();
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    // Listing, resolving and reading files blocks (a slow or network disk): never on the loop.
    return HttpResponse.of(() -> {
      try {
        return serveBlocking(ctx, req);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, ctx.blockingTaskExecutor());
  }

  private HttpResponse serveBlocking(ServiceRequestContext ctx, HttpRequest req)
      throws IOException {
    if (req.method() != HttpMethod.GET
        && req.method() != HttpMethod.HEAD) {
      return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED, MediaType.PLAIN_TEXT_UTF_8,
          "method: " + req.method() + " (expected: GET)");
    }
    String name = ctx.pathParam("name");
    boolean raw = wantsRaw(ctx, req);
    if (name == null || name.isEmpty()) {
      List<String> files = list();
      return raw ? HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, files.isEmpty()
          ? "no playbooks (directory " + dir + " is empty or does not exist)\n"
          : files.stream().map(n -> "/playbooks/" + n).collect(Collectors.joining("\n", "", "\n")))
          : html(pages.index(files));
    }
    if (!NAME.matcher(name).matches() || name.contains("..")) {
      return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.PLAIN_TEXT_UTF_8,
          "name: " + name + " (expected: a playbook file name like high-error-rate.md)");
    }
    String file = name.endsWith(".md") ? name : name + ".md";
    Path path = dir.resolve(file).normalize();
    if (!path.getParent().equals(dir) || !Files.isRegularFile(path)
        || !path.toRealPath().startsWith(dir.toRealPath()) || Files.size(path) > MAX_BYTES) {
      return HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.PLAIN_TEXT_UTF_8,
          "playbook " + file + " not found; see /playbooks/ for the list");
    }
    String markdown = Files.readString(path);
    if (!raw) {
      return html(pages.render(file, markdown));
    }
    boolean asMarkdown = req.headers().get(HttpHeaderNames.ACCEPT, "").contains("text/markdown");
    return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
        .contentType(asMarkdown ? MARKDOWN : MediaType.PLAIN_TEXT_UTF_8)
        .add(HttpHeaderNames.VARY, "Accept").build(), HttpData.ofUtf8(markdown));
  }

  /** {@code ?raw}, or an {@code Accept} that names Markdown or plain text but not HTML. */
  private static boolean wantsRaw(ServiceRequestContext ctx, HttpRequest req) {
    if (ctx.queryParams().contains("raw")) {
      return true;
    }
    String accept = req.headers().get(HttpHeaderNames.ACCEPT, "");
    return !accept.contains("text/html")
        && (accept.contains("text/markdown") || accept.contains("text/plain"));
  }

  private static HttpResponse html(String page) {
    // Playbooks are operator files, but a page on the UI's origin still must not run anything.
    return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
        .contentType(MediaType.HTML_UTF_8).add(HttpHeaderNames.VARY, "Accept")
        .add(HttpHeaderNames.CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; img-src 'self' https: data:")
        .add(HttpHeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff").build(), HttpData.ofUtf8(page));
  }

  private List<String> list() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".md")).sorted()
          .toList();
    }
  }
}
