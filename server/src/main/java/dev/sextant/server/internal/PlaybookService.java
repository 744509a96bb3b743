package dev.sextant.server.internal;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.VirtualHostBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Read-only {@code GET /playbooks/{name}}: the Markdown files of one configured directory, so the
 * playbook links in alerts and pages resolve on Sextant itself. {@code GET /playbooks/} lists
 * them. Only plain names are served ({@code [A-Za-z0-9][A-Za-z0-9._-]*.md}, ".md" optional in
 * the URL); anything else, including {@code ..} or an encoded slash, is refused with 400, and a
 * file whose real path leaves the directory (a symlink) is not found.
 */
public final class PlaybookService implements HttpService {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final long MAX_BYTES = 1 << 20;

  private final Path dir;

  public PlaybookService(Path dir) {
    this.dir = requireNonNull(dir, "dir").toAbsolutePath().normalize();
  }

  /** Registers {@code /playbooks/} and {@code /playbooks/{name}}. */
  public void registerTo(VirtualHostBuilder vhost) {
    vhost.service("/playbooks/", this).service("/playbooks/{name}", this);
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, com.linecorp.armeria.common.HttpRequest req)
      throws IOException {
    if (req.method() != com.linecorp.armeria.common.HttpMethod.GET
        && req.method() != com.linecorp.armeria.common.HttpMethod.HEAD) {
      return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED, MediaType.PLAIN_TEXT_UTF_8,
          "method: " + req.method() + " (expected: GET)");
    }
    String name = ctx.pathParam("name");
    if (name == null || name.isEmpty()) {
      return HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, index());
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
    return HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, Files.readString(path));
  }

  private String index() throws IOException {
    if (!Files.isDirectory(dir)) {
      return "no playbooks (directory " + dir + " does not exist)\n";
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".md")).sorted()
          .map(n -> "/playbooks/" + n).collect(Collectors.joining("\n", "", "\n"));
    }
  }
}
