package dev.sextant.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release as a user gets it: the tarball unpacked into an empty directory and run with
 * nothing but a Java runtime (no Maven on the PATH), the server until it is ready and the demo
 * until it pages; and the OCI image's config and layers as Jib wrote them. Runs in
 * {@code mvn -Prelease verify}.
 */
class DistributionIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private static final String VERSION = System.getProperty("sextant.version");
  private static final Pattern UI_PORT = Pattern.compile("UI/API :(\\d+)");

  @TempDir
  static Path unpacked;
  static Path home;

  @BeforeAll
  static void unpack() throws Exception {
    Path tarball = Paths.get(System.getProperty("sextant.tarball"));
    assertThat(tarball).exists();
    run(List.of("tar", "-xzf", tarball.toString(), "-C", unpacked.toString()), Map.of());
    home = unpacked.resolve("sextant-" + VERSION);
  }

  @Test
  void tarball_holdsTheLauncherJarsAgentSamplesConfigsAndNotices() throws Exception {
    assertThat(home.resolve("bin/sextant")).isExecutable();
    assertThat(home.resolve("lib/sextant-server-" + VERSION + ".jar")).isRegularFile();
    try (Stream<Path> libs = Files.list(home.resolve("lib"))) {
      assertThat(libs.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("armeria-")).anyMatch(n -> n.startsWith("rocksdbjni-"))
          .allMatch(n -> n.endsWith(".jar"));
    }
    for (String f : List.of("agent/sextant-agent.jar", "samples/sextant-samples.jar",
        "samples/rules/shop-alerts.yml", "samples/playbooks/high-error-rate.md",
        "config/sextant.yml", "config/sextant.example.yml", "systemd/sextant.service",
        "LICENSE", "NOTICE", "README.txt")) {
      assertThat(home.resolve(f)).as(f).isRegularFile();
    }
    assertThat(Files.readString(home.resolve("LICENSE"))).contains("Apache License")
        .contains("Version 2.0");
    assertThat(Files.readString(home.resolve("NOTICE"))).contains("Sextant " + VERSION)
        .contains("com.linecorp.armeria:armeria ").contains("org.rocksdb:rocksdbjni ")
        .contains("com.h2database:h2 ").doesNotContain("${");
    assertThat(Files.readString(home.resolve("systemd/sextant.service")))
        .contains("ProtectSystem=strict").contains("ReadWritePaths=/var/lib/sextant")
        .contains("NoNewPrivileges=true").contains("Restart=on-failure").contains("User=sextant");
  }

  @Test
  void server_runsWithJavaHomeAndNoJavaOrMavenOnThePath(@TempDir Path dir) throws Exception {
    Path bin = tools(dir.resolve("bin"), false);
    Map<String, String> env = Map.of("PATH", bin.toString(), "JAVA_HOME",
        System.getProperty("java.home"), "JAVA_OPTS", "-Xmx256m -XshowSettings:vm");
    assertThat(run(List.of(home.resolve("bin/sextant").toString(), "--version"), env))
        .contains("sextant " + VERSION);
    Path log = dir.resolve("server.log");
    Process server = start(List.of(home.resolve("bin/sextant").toString(), "server",
        "--data-dir", dir.resolve("data").toString(), "--bind-address", "127.0.0.1",
        "--grpc-port", "0", "--otlp-http-port", "0", "--http-port", "0"), env, dir, log);
    try {
      String started = awaitLine(log, server, "UI/API :", Duration.ofSeconds(120));
      Matcher m = UI_PORT.matcher(started);
      assertThat(m.find()).isTrue();
      String base = "http://127.0.0.1:" + m.group(1);
      assertThat(get(base + "/-/ready").statusCode()).isEqualTo(200);
      assertThat(get(base + "/-/healthy").body()).isEqualTo("Sextant is Healthy.\n");
      JsonNode config = JSON.readTree(get(base + "/api/v1/status/config").body());
      assertThat(config.path("status").asText()).isEqualTo("success");
      assertThat(config.path("data").path("yaml").asText()).contains("bindAddress: 127.0.0.1");
      // JAVA_OPTS reached the JVM.
      assertThat(Files.readString(log)).contains("Max. Heap Size: 256.00M");
      server.destroy();
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(log)).contains("Sextant stopped");
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void demo_runsFromTheTarballWithJavaOnThePathUntilItPages(@TempDir Path dir)
      throws Exception {
    Path bin = tools(dir.resolve("bin"), true);
    Map<String, String> env = Map.of("PATH", bin.toString());
    Path log = dir.resolve("demo.log");
    Process demo = start(List.of(home.resolve("bin/sextant").toString(), "demo",
        "--data-dir", dir.resolve("data").toString(),
        "--http-port", "0", "--grpc-port", "0", "--otlp-http-port", "0", "--shop-port", "0",
        "--fault-after", "30s", "--fault-hold", "5s", "--fault-max", "120s",
        "--breaker-open", "5s", "--scrape-interval", "2s", "--eval-interval", "2s",
        "--alert-for", "4s", "--alert-window", "20s", "--group-interval", "3s",
        "--start-timeout", "8m"), env, dir, log);
    List<ProcessHandle> children = new ArrayList<>();
    try {
      awaitLine(log, demo, "Sextant is up: UI http://localhost:", Duration.ofSeconds(300));
      awaitLine(log, demo, "Ctrl-C stops everything.", Duration.ofSeconds(540));
      children.addAll(demo.descendants().toList());
      awaitLine(log, demo, "FAULT INJECTED", Duration.ofSeconds(180));
      String page = awaitLine(log, demo, "PAGE TRIGGER", Duration.ofSeconds(240));
      assertThat(page).contains("PAGE TRIGGER");
      demo.destroy(); // SIGTERM, as Ctrl-C
      assertThat(demo.waitFor(90, TimeUnit.SECONDS)).as("demo exits").isTrue();
      for (ProcessHandle child : children) {
        child.onExit().get(30, TimeUnit.SECONDS);
      }
    } finally {
      demo.descendants().forEach(ProcessHandle::destroyForcibly);
      demo.destroyForcibly();
    }
  }

  @Test
  void image_configRunsTheServerAsNonRootWithAVolumeAndTheThreePorts(@TempDir Path dir)
      throws Exception {
    Path image = Paths.get(System.getProperty("sextant.image"));
    assumeTrue(Files.exists(image), "no image tar (built with -Djib.skip=true?)");
    run(List.of("tar", "-xf", image.toString(), "-C", dir.toString()), Map.of());
    JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile()).get(0);
    JsonNode config = JSON.readTree(dir.resolve(manifest.get("Config").asText()).toFile())
        .get("config");
    assertThat(config.get("User").asText()).isEqualTo("65532:65532");
    assertThat(fieldNames(config.get("ExposedPorts")))
        .containsExactlyInAnyOrder("4317/tcp", "4318/tcp", "8686/tcp");
    assertThat(fieldNames(config.get("Volumes"))).containsExactly("/var/lib/sextant");
    assertThat(config.get("Entrypoint").toString()).startsWith("[\"/opt/java/bin/java\"")
        .contains("dev.sextant.server.cli.Main").contains("\"server\"");
    assertThat(config.get("Env").toString()).contains("SEXTANT_DATA_DIR=/var/lib/sextant");
    List<String> files = new ArrayList<>();
    for (JsonNode layer : manifest.get("Layers")) {
      files.addAll(List.of(run(List.of("tar", "--warning=no-unknown-keyword", "-tzvf",
          dir.resolve(layer.asText()).toString()), Map.of()).split("\n")));
    }
    assertThat(files)
        .anyMatch(f -> f.startsWith("-rwxr-xr-x") && f.endsWith(" opt/java/bin/java"))
        .anyMatch(f -> f.matches(".* app/libs/sextant-server.*\\.jar"))
        .anyMatch(f -> f.endsWith(" lib64/ld-linux-x86-64.so.2"))
        .anyMatch(f -> f.startsWith("drwxrwxrwx") && f.endsWith(" var/lib/sextant/"))
        .anyMatch(f -> f.endsWith(" etc/passwd"));
  }

  /**
   * The image's file system (its layers unpacked in order) run as a container would run it: the
   * entrypoint and environment from its config, as user 65532, in a chroot with /proc and /dev
   * mounted (unshare -m). Needs root (as CI has) and the server to answer /-/ready.
   */
  @Test
  void image_entrypointServesFromItsOwnFileSystemAsNonRoot(@TempDir Path dir) throws Exception {
    Path image = Paths.get(System.getProperty("sextant.image"));
    assumeTrue(Files.exists(image), "no image tar (built with -Djib.skip=true?)");
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root for chroot");
    Path oci = Files.createDirectories(dir.resolve("oci"));
    Path root = Files.createDirectories(dir.resolve("root"));
    run(List.of("tar", "-xf", image.toString(), "-C", oci.toString()), Map.of());
    JsonNode manifest = JSON.readTree(oci.resolve("manifest.json").toFile()).get(0);
    JsonNode config = JSON.readTree(oci.resolve(manifest.get("Config").asText()).toFile())
        .get("config");
    for (JsonNode layer : manifest.get("Layers")) {
      run(List.of("tar", "--warning=no-unknown-keyword", "-xzpf",
          oci.resolve(layer.asText()).toString(), "-C", root.toString()), Map.of());
    }
    List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "sh", "-c",
        "mount -t proc proc \"$0/proc\" && mount --rbind /dev \"$0/dev\" && exec \"$@\"",
        root.toString(), "env", "-i"));
    config.get("Env").forEach(e -> cmd.add(e.asText()));
    cmd.addAll(List.of("/usr/sbin/chroot", "--userspec=" + config.get("User").asText(),
        root.toString()));
    config.get("Entrypoint").forEach(e -> cmd.add(e.asText()));
    cmd.addAll(List.of("--bind-address", "127.0.0.1", "--grpc-port", "0", "--otlp-http-port",
        "0", "--http-port", "0"));
    Path log = dir.resolve("image.log");
    Process server = start(cmd, Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), dir, log);
    try {
      String started = awaitLine(log, server, "UI/API :", Duration.ofSeconds(180));
      Matcher m = UI_PORT.matcher(started);
      assertThat(m.find()).isTrue();
      assertThat(get("http://127.0.0.1:" + m.group(1) + "/-/ready").statusCode())
          .isEqualTo(200);
      // It stored where the volume is, as the non-root user.
      assertThat(root.resolve("var/lib/sextant/traces")).isDirectory();
      assertThat(Files.getOwner(root.resolve("var/lib/sextant/traces")).getName())
          .isNotEqualTo("root");
      server.destroy();
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      server.destroyForcibly();
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /**
   * A PATH of its own: bash and readlink (what the launcher uses) and, when asked, java, so that
   * neither Maven nor anything else of this machine's PATH is there.
   */
  private static Path tools(Path bin, boolean withJava) throws IOException {
    Files.createDirectories(bin);
    for (String tool : new String[] {"bash", "readlink"}) {
      Files.createSymbolicLink(bin.resolve(tool), which(tool));
    }
    if (withJava) {
      Files.createSymbolicLink(bin.resolve("java"),
          Paths.get(System.getProperty("java.home"), "bin", "java"));
    }
    return bin;
  }

  private static Path which(String tool) {
    for (String d : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
      Path p = Paths.get(d, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException(tool + " not found");
  }

  private static Process start(List<String> cmd, Map<String, String> env, Path dir, Path log)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    return pb.start();
  }

  private static String run(List<String> cmd, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (!env.isEmpty()) {
      pb.environment().clear();
      pb.environment().putAll(env);
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(cmd + ": " + out).isZero();
    return out;
  }

  /** The first line of {@code log} containing {@code text}, polled until {@code timeout}. */
  private static String awaitLine(Path log, Process p, String text, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (line.contains(text)) {
          return line;
        }
      }
      if (!p.isAlive()) {
        throw new AssertionError("exited (" + p.exitValue() + ") before '" + text + "':\n"
            + Files.readString(log));
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no '" + text + "' within " + timeout + ":\n" + Files.readString(log));
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
