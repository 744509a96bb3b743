package dev.sextant.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  @Test
  void load_withoutFileGivesDefaults() {
    SextantConfig c = ConfigLoader.load(null, Map.of());
    assertThat(c.dataDir).isEqualTo("data");
    assertThat(c.ports.grpc).isEqualTo(4317);
    assertThat(c.ports.otlpHttp).isEqualTo(4318);
    assertThat(c.ports.http).isEqualTo(8686);
  }

  @Test
  void load_fileThenEnvOverrides() throws Exception {
    Path f = Files.writeString(dir.resolve("s.yml"),
        "dataDir: /var/lib/sextant\nports:\n  grpc: 14317\n  http: 18686\n");
    SextantConfig c = ConfigLoader.load(f, Map.of("SEXTANT_HTTP_PORT", "9999"));
    assertThat(c.dataDir).isEqualTo("/var/lib/sextant");
    assertThat(c.ports.grpc).isEqualTo(14317);
    assertThat(c.ports.otlpHttp).isEqualTo(4318);
    assertThat(c.ports.http).isEqualTo(9999);
  }

  @Test
  void load_perTenantAlertingKeys() throws Exception {
    Path f = Files.writeString(dir.resolve("t.yml"), """
        alerting:
          rules: [rules/*.yml]
          tenantRulesDir: tenant-rules
          tenantNotifiers:
            shop:
              route: {receiver: shop-oncall}
              receivers: [{name: shop-oncall}]
        """);
    SextantConfig c = ConfigLoader.load(f, Map.of());
    assertThat(c.alerting.tenantRulesDir).isEqualTo("tenant-rules");
    assertThat(c.alerting.tenantNotifiers).containsOnlyKeys("shop");
    assertThat(c.alerting.tenantNotifiers.get("shop").get("route"))
        .isEqualTo(Map.of("receiver", "shop-oncall"));
  }

  @Test
  void load_badNotifierValue_namesTheKeyAndItsLineInTheUsersFile() throws Exception {
    Path f = Files.writeString(dir.resolve("sextant.yml"), """
        dataDir: x
        alerting:
          notifier:
            route:
              receiver: oncall
              routes:
                - receiver: oncall
                  group_wait: 30 seconds
            receivers:
              - name: oncall
        """);
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(f + ": line 8: alerting.notifier.route.routes[0].group_wait: "
            + "not a valid duration string: \"30 seconds\"");
    Path tenant = Files.writeString(dir.resolve("tenant.yml"), """
        alerting:
          tenantNotifiers:
            shop:
              route: {receiver: nobody}
              receivers: [{name: oncall}]
        """);
    assertThatThrownBy(() -> ConfigLoader.load(tenant, Map.of()))
        .hasMessage(tenant + ": line 4: alerting.tenantNotifiers.shop.route.receiver: nobody"
            + " (expected: one of [oncall])");
  }

  @Test
  void load_pastedAlertmanagerYml_worksOrNamesTheUnsupportedKeyAndLine() throws Exception {
    Path ok = Files.writeString(dir.resolve("am.yml"), """
        alerting:
          notifier:
            global: {resolve_timeout: 10m}
            route:
              receiver: oncall
              routes:
                - receiver: chat
                  matchers: ['severity="warning"']
                  active_time_intervals: [office]
            receivers:
              - name: oncall
                pagerduty_configs: [{routing_key: k, send_resolved: true}]
                webhook_configs:
                  - url: http://127.0.0.1:1/a
                  - url: http://127.0.0.1:1/b
                    send_resolved: false
                    http_config: {bearer_token: t}
              - name: chat
                webhook_configs: [{url: 'http://127.0.0.1:1/chat'}]
            time_intervals:
              - name: office
                time_intervals:
                  - times: [{start_time: 09:00, end_time: 17:00}]
                    weekdays: ['monday:friday']
        """);
    assertThat(ConfigLoader.load(ok, Map.of()).alerting.notifier).containsKey("time_intervals");
    Path slack = Files.writeString(dir.resolve("slack.yml"), """
        alerting:
          notifier:
            route: {receiver: chat}
            receivers:
              - name: chat
                slack_configs:
                  - channel: '#alerts'
        """);
    assertThatThrownBy(() -> ConfigLoader.load(slack, Map.of()))
        .hasMessage(slack + ": line 6: alerting.notifier.receivers[0].slack_configs: not supported"
            + " (supported: name, webhook_configs, pagerduty_configs)");
  }

  @Test
  void load_emptyFileIsValid() throws Exception {
    Path f = Files.writeString(dir.resolve("empty.yml"), "");
    assertThat(ConfigLoader.load(f, Map.of()).ports.http).isEqualTo(8686);
  }

  @Test
  void load_stringLimitsAreReadAndChecked() throws Exception {
    Path ok = Files.writeString(dir.resolve("ok.yml"),
        "limits:\n  maxAttributeKeyLength: 128\n  maxNameLength: 512\n"
            + "  maxCorrelationIdLength: 64\n");
    var limits = ConfigMapper.limits(ConfigLoader.load(ok, Map.of()).limits);
    assertThat(limits.maxAttributeKeyLength()).isEqualTo(128);
    assertThat(limits.maxNameLength()).isEqualTo(512);
    assertThat(limits.maxCorrelationIdLength()).isEqualTo(64);
    assertThat(ConfigMapper.limits(new SextantConfig().limits).maxNameLength()).isEqualTo(1024);
    Path bad = Files.writeString(dir.resolve("bad.yml"),
        "dataDir: x\nlimits:\n  maxNameLength: 100000\n");
    assertThatThrownBy(() -> ConfigLoader.load(bad, Map.of()))
        .hasMessageContaining("line 3")
        .hasMessageContaining("maxNameLength: 100000 (expected: 1-4096)");
  }

  @Test
  void load_unknownKeyNamesLineAndKey() throws Exception {
    Path f = Files.writeString(dir.resolve("typo.yml"), "dataDir: x\nportz:\n  grpc: 1\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .hasMessageContaining("line 2").hasMessageContaining("unknown key 'portz'");
  }

  @Test
  void load_traceReadCapDefaultsAndIsChecked() throws Exception {
    assertThat(ConfigLoader.load(null, Map.of()).limits.maxSpansPerTraceRead).isEqualTo(100_000);
    Path ok = Files.writeString(dir.resolve("ok.yml"), "limits:\n  maxSpansPerTraceRead: 500\n");
    assertThat(ConfigLoader.load(ok, Map.of()).limits.maxSpansPerTraceRead).isEqualTo(500);
    Path bad = Files.writeString(dir.resolve("bad.yml"),
        "dataDir: x\nlimits:\n  maxSpansPerTraceRead: -1\n");
    assertThatThrownBy(() -> ConfigLoader.load(bad, Map.of()))
        .hasMessageContaining("line 3")
        .hasMessageContaining("limits.maxSpansPerTraceRead: -1 (expected: 1-10000000");
  }

  @Test
  void load_badEnvPortIsNamed() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SEXTANT_GRPC_PORT", "abc")))
        .hasMessageContaining("SEXTANT_GRPC_PORT: abc (expected: a port number)");
  }

  @Test
  void load_missingFileIsNamed() {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yml"), Map.of()))
        .hasMessageContaining("nope.yml (expected: an existing YAML file)");
  }

  @Test
  void load_clusterTokenFromEnvIsMaskedInTheStatusConfig() throws Exception {
    SextantConfig c = ConfigLoader.load(null, Map.of("SEXTANT_CLUSTER_TOKEN",
        "cluster-token-0123456789abcdef", "SEXTANT_ROLES", "store",
        "SEXTANT_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));
    assertThat(ConfigMapper.cluster(c.cluster).internalToken())
        .isEqualTo("cluster-token-0123456789abcdef");
    assertThat(ConfigYaml.masked(c)).doesNotContain("cluster-token-0123456789abcdef")
        .contains("internalToken: <secret>");
  }

  @Test
  void load_kafkaPropertiesSecretsAreMaskedInTheStatusConfig() throws Exception {
    Path file = Files.writeString(dir.resolve("kafka.yml"), """
        cluster:
          roles: [collector]
          kafka:
            bootstrapServers: 127.0.0.1:9092
            properties:
              security.protocol: SASL_SSL
              sasl.jaas.config: ScramLoginModule required password="jaas-pass";
              ssl.truststore.password: trust-pass
        """);
    SextantConfig c = ConfigLoader.load(file, Map.of());
    assertThat(ConfigMapper.cluster(c.cluster).kafkaProperties())
        .containsEntry("ssl.truststore.password", "trust-pass");
    assertThat(ConfigYaml.masked(c)).doesNotContain("jaas-pass", "trust-pass")
        .contains("security.protocol: SASL_SSL", "sasl.jaas.config: <secret>");
    assertThat(ConfigMapper.cluster(c.cluster).toString()).doesNotContain("jaas-pass");
  }
}
