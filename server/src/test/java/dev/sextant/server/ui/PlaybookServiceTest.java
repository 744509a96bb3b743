package dev.sextant.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.SextantServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /playbooks/{name}} on a real server: files of the directory, nothing outside it. */
class PlaybookServiceTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  static Path tmp;
  private static SextantServer server;

  @BeforeAll
  static void start() throws Exception {
    Path playbooks = Files.createDirectories(tmp.resolve("site/playbooks"));
    Files.writeString(playbooks.resolve("high-error-rate.md"), "# High error rate\n\n1. Open"
        + " the [dashboard](https://grafana.example/d/1)\n2. <script>alert(1)</script> roll back\n"
        + "[bad](javascript:alert(2))\n");
    Files.writeString(tmp.resolve("site/secret.md"), "TOP SECRET");
    Files.createSymbolicLink(playbooks.resolve("escape.md"), tmp.resolve("site/secret.md"));
    server = SextantServer.builder().dataDir(tmp.resolve("data")).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).playbooksDir(playbooks).build();
    server.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> get(String rawPath) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.httpPort() + rawPath)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String rawPath, String accept) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.httpPort() + rawPath)).header("Accept", accept)
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void get_rendersAPlaybookAsAnHtmlPageWithOrWithoutMd() throws Exception {
    for (String path : new String[] {"/playbooks/high-error-rate.md",
        "/playbooks/high-error-rate"}) {
      HttpResponse<String> r = get(path, "text/html,application/xhtml+xml,*/*;q=0.8");
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(
          t -> assertThat(t).startsWith("text/html"));
      assertThat(r.body()).as(path).contains("<title>High error rate · Sextant playbook</title>")
          .contains("<link rel=\"stylesheet\" href=\"/static/sextant.css\">")
          .contains("<h1>High error rate</h1>")
          .contains("href=\"https://grafana.example/d/1\">dashboard</a>")
          .contains("href=\"/playbooks/high-error-rate.md?raw\"");
    }
    assertThat(get("/playbooks/high-error-rate.md").body()).as("no Accept: the page")
        .contains("<h1>High error rate</h1>");
  }

  @Test
  void get_escapesHtmlAndDropsScriptLinksInAPlaybook() throws Exception {
    HttpResponse<String> r = get("/playbooks/high-error-rate.md");
    assertThat(r.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .doesNotContain("<script").doesNotContain("javascript:");
    assertThat(r.headers().firstValue("content-security-policy"))
        .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'none'")
            .contains("frame-ancestors 'none'"));
  }

  @Test
  void get_servesTheRawMarkdownForRawOrByAccept() throws Exception {
    HttpResponse<String> raw = get("/playbooks/high-error-rate.md?raw");
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
    assertThat(raw.body()).startsWith("# High error rate\n\n1. Open");
    assertThat(get("/playbooks/high-error-rate?raw").body()).startsWith("# High error rate");
    HttpResponse<String> markdown = get("/playbooks/high-error-rate.md", "text/markdown");
    assertThat(markdown.headers().firstValue("content-type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/markdown"));
    assertThat(markdown.body()).startsWith("# High error rate");
    assertThat(get("/playbooks/high-error-rate", "text/plain").body())
        .startsWith("# High error rate");
  }

  @Test
  void get_listsThePlaybooksAsLinksOrText() throws Exception {
    assertThat(get("/playbooks/").body())
        .contains("<a href=\"/playbooks/high-error-rate.md\">high-error-rate.md</a>");
    assertThat(get("/playbooks/?raw").body()).contains("/playbooks/high-error-rate.md\n")
        .doesNotContain("<");
  }

  @Test
  void get_unknownIs404() throws Exception {
    HttpResponse<String> r = get("/playbooks/nope.md");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("playbook nope.md not found");
  }

  @Test
  void get_refusesEveryWayOut() throws Exception {
    for (String path : new String[] {"/playbooks/..%2Fsecret.md", "/playbooks/%2e%2e%2fsecret.md",
        "/playbooks/..%5Csecret.md", "/playbooks/.secret.md", "/playbooks/escape.md",
        "/playbooks/%2E%2E", "/playbooks/../secret.md"}) {
      for (String query : new String[] {"", "?raw"}) {
        HttpResponse<String> r = get(path + query);
        assertThat(r.statusCode()).as(path).isIn(400, 404); // Armeria refuses some paths itself
        assertThat(r.body()).as(path).doesNotContain("TOP SECRET");
      }
    }
  }

  @Test
  void post_isNotAllowed() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.httpPort() + "/playbooks/high-error-rate.md"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(405);
  }
}
