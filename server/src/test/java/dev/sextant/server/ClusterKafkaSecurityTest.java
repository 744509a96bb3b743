package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sextant.cluster.testing.KafkaBroker;
import dev.sextant.server.cluster.ClusterSettings;
import dev.sextant.server.config.ConfigLoader;
import dev.sextant.server.config.ConfigMapper;
import dev.sextant.server.config.SextantConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode against a broker that requires SASL/PLAIN: every Kafka client of a node (the
 * collector's producer, the store's consumer, the alert role's election, state and producer, the
 * topic admin) takes {@code cluster.kafka.properties} and {@code cluster.kafka.propertiesFile}.
 * With the right credentials a span and a recorded series go through Kafka and back; with a wrong
 * password the collector refuses with a retryable 503 and says why on {@code /health}.
 */
class ClusterKafkaSecurityTest {
  private static final String USER = "sextant";
  private static final String PASSWORD = "kafka-pass-0123456789";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  Path dir;

  @Test
  void saslPlain_everyRoleConnectsWithTheConfiguredCredentials() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.startWithSaslPlain(dir.resolve("kafka"), USER,
        PASSWORD)) {
      Path rules = Files.writeString(dir.resolve("rules.yml"), """
          groups:
            - name: sasl
              interval: 1s
              rules:
                - record: sasl:seven
                  expr: vector(7)
          """);
      ClusterSettings settings = settings(kafka.saslBootstrapServers(), PASSWORD, "node",
          "collector, store, query, alert");
      try (SextantServer node = SextantServer.builder().dataDir(dir.resolve("node"))
          .bindAddress("127.0.0.1").grpcPort(0).otlpHttpPort(0).httpPort(0)
          .spanMetricsInterval(Duration.ZERO).storeSessionTimeout(Duration.ofSeconds(10))
          .ruleFiles(List.of(rules.toString())).cluster(settings).build()) {
        node.start();
        byte[] traceId = OtlpRequests.randomId(16);
        HttpResponse<String> posted = postTrace(node.otlpHttpPort(), traceId);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        String hex = HexFormat.of().formatHex(traceId);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
          assertThat(TestClient.get(node.httpPort(), "/api/traces/" + hex).status())
              .as(TestClient.get(node.httpPort(), "/health").body()).isEqualTo(200);
          // The alert role was elected over SASL, and its recorded series went out through
          // the producer and came back through the store's consumer.
          assertThat(TestClient.get(node.httpPort(), "/api/v1/query?query="
              + URLEncoder.encode("sasl:seven", StandardCharsets.UTF_8)).json()
              .at("/data/result/0/value/1").asText()).isEqualTo("7");
        });
        assertThat(TestClient.get(node.httpPort(), "/health").json()
            .at("/checks/kafka/status").asText()).isEqualTo("up");
      }

      // A collector with the wrong password: a retryable refusal that names the cause.
      try (SextantServer wrong = SextantServer.builder().dataDir(dir.resolve("wrong"))
          .bindAddress("127.0.0.1").grpcPort(0).otlpHttpPort(0).httpPort(0)
          .cluster(settings(kafka.saslBootstrapServers(), "not-the-password", "wrong",
              "collector"))
          .build()) {
        wrong.start();
        HttpResponse<String> refused = postTrace(wrong.otlpHttpPort(), OtlpRequests.randomId(16));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("retry-after")).isPresent();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
            TestClient.get(wrong.httpPort(), "/health").json().at("/checks/kafka/error")
                .asText()).containsIgnoringCase("authentication"));
      }
    }
  }

  @Test
  void kafkaProperties_refuseWhatSextantSetsAndNameTheKey() throws Exception {
    Path config = Files.writeString(dir.resolve("reserved.yml"), """
        cluster:
          roles: [collector]
          kafka:
            bootstrapServers: 127.0.0.1:9092
            properties: { acks: '1' }
        """);
    SextantConfig c = ConfigLoader.load(config, Map.of());
    assertThatThrownBy(() -> ConfigMapper.cluster(c.cluster))
        .hasMessageContaining("cluster.kafka.properties.acks: set by Sextant");

    Path missing = Files.writeString(dir.resolve("missing.yml"), """
        cluster:
          roles: [collector]
          kafka: { bootstrapServers: 127.0.0.1:9092 }
        """);
    SextantConfig m = ConfigLoader.load(missing, Map.of("SEXTANT_KAFKA_PROPERTIES_FILE",
        dir.resolve("nope.properties").toString()));
    assertThatThrownBy(() -> ConfigMapper.cluster(m.cluster))
        .hasMessageContaining("cluster.kafka.propertiesFile: ")
        .hasMessageContaining("nope.properties");
  }

  /**
   * Settings as a user writes them: the mechanism in the YAML, the secret in a properties file
   * named by the environment, read through the config loader.
   */
  private ClusterSettings settings(String servers, String password, String name, String roles)
      throws Exception {
    Path secrets = Files.writeString(dir.resolve(name + "-kafka.properties"),
        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"" + USER + "\" password=\"" + password + "\";\n");
    Path config = Files.writeString(dir.resolve(name + ".yml"), """
        cluster:
          roles: [%s]
          kafka:
            bootstrapServers: '%s'
            properties:
              security.protocol: SASL_PLAINTEXT
              sasl.mechanism: PLAIN
          topics: { partitions: 2 }
          storeGroup: sasl-%s
        """.formatted(roles, servers, name));
    SextantConfig c = ConfigLoader.load(config,
        Map.of("SEXTANT_KAFKA_PROPERTIES_FILE", secrets.toString()));
    ClusterSettings s = ConfigMapper.cluster(c.cluster);
    assertThat(s).isNotNull();
    assertThat(s.kafkaProperties()).containsKeys("security.protocol", "sasl.jaas.config");
    assertThat(s.toString()).doesNotContain(password);
    return s;
  }

  private static HttpResponse<String> postTrace(int port, byte[] traceId) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/v1/traces")).header("content-type", "application/x-protobuf")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(
            OtlpRequests.trace(traceId, 3, "sasl-svc").toByteArray())).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
