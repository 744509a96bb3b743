package dev.sextant.server.cli;

import static dev.sextant.server.cli.ServerArgs.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.server.cluster.ClusterSettings;
import dev.sextant.server.cluster.Role;
import dev.sextant.server.config.ConfigMapper;
import dev.sextant.server.config.SextantConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cluster mode's flags, environment and config section: which roles, which Kafka, errors. */
class ClusterOptionsTest {
  @TempDir
  Path dir;

  @Test
  void noClusterConfig_isTheAllInOneNode() {
    assertThat(ConfigMapper.cluster(parse().resolve(Map.of()).cluster)).isNull();
  }

  @Test
  void roleFlags_repeatedOrCommaSeparated_withKafka() {
    SextantConfig c = parse("--role", "collector,store", "--role", "QUERY", "--kafka",
        "k1:9092,k2:9092").resolve(Map.of());
    ClusterSettings s = ConfigMapper.cluster(c.cluster);
    assertThat(s.roles()).containsExactlyInAnyOrder(Role.COLLECTOR, Role.STORE, Role.QUERY);
    assertThat(s.bootstrapServers()).isEqualTo("k1:9092,k2:9092");
    assertThat(s.partitions()).isEqualTo(12);
    assertThat(s.storeGroup()).isEqualTo("sextant-store");
  }

  @Test
  void kafkaWithoutRoles_runsAllFourOverKafka_envToo() {
    SextantConfig c = parse().resolve(Map.of("SEXTANT_KAFKA_BOOTSTRAP_SERVERS", "k:9092"));
    assertThat(ConfigMapper.cluster(c.cluster).roles())
        .isEqualTo(EnumSet.allOf(Role.class));
    SextantConfig store = parse().resolve(Map.of("SEXTANT_KAFKA_BOOTSTRAP_SERVERS", "k:9092",
        "SEXTANT_ROLES", "store"));
    assertThat(ConfigMapper.cluster(store.cluster).roles()).containsExactly(Role.STORE);
  }

  @Test
  void badRole_namesTheFlagOrTheLine() throws Exception {
    assertThatThrownBy(() -> parse("--role", "storage").resolve(Map.of()))
        .hasMessage("--role: 'storage' (expected: collector, store, query or alert)");
    Path f = Files.writeString(dir.resolve("c.yml"),
        "cluster:\n  kafka: { bootstrapServers: 'k:1' }\n  roles: [store, ingester]\n");
    assertThatThrownBy(() -> parse("--config", f.toString()).resolve(Map.of()))
        .hasMessageStartingWith(f + ": line 3: cluster.roles: 'ingester' (expected:");
  }

  @Test
  void rolesWithoutKafka_orBadTopics_refusedAtBuild() throws Exception {
    assertThatThrownBy(() -> ServerOptions.build(parse("--role", "store").resolve(Map.of())))
        .hasMessageStartingWith("cluster.kafka.bootstrapServers: missing (expected: host:port");
    Path f = Files.writeString(dir.resolve("t.yml"),
        "cluster:\n  roles: [store]\n  kafka:\n    bootstrapServers: k:1\n  topics:\n"
            + "    partitions: 0\n");
    assertThatThrownBy(() -> ServerOptions.build(parse("--config", f.toString())
        .resolve(Map.of())))
        .hasMessageContaining("cluster.topics.partitions: 0 (expected: 1-10000)")
        .hasMessageStartingWith(f + ": line 6");
  }

  @Test
  void instanceId_flagOverEnvOverConfig_badNameRefusedNamingTheFlag() throws Exception {
    Path f = Files.writeString(dir.resolve("i.yml"),
        "cluster:\n  kafka: { bootstrapServers: 'k:1' }\n  instanceId: from-file\n");
    assertThat(ConfigMapper.cluster(parse("--config", f.toString()).resolve(Map.of()).cluster)
        .instanceId()).isEqualTo("from-file");
    assertThat(ConfigMapper.cluster(parse("--config", f.toString())
        .resolve(Map.of("SEXTANT_INSTANCE_ID", "store-env")).cluster).instanceId())
        .isEqualTo("store-env");
    assertThat(ConfigMapper.cluster(parse("--config", f.toString(), "--instance-id", "store-2")
        .resolve(Map.of("SEXTANT_INSTANCE_ID", "store-env")).cluster).instanceId())
        .isEqualTo("store-2");
    assertThatThrownBy(() -> ServerOptions.build(parse("--kafka", "k:1", "--role", "store",
        "--instance-id", "store 1").resolve(Map.of())))
        .hasMessageStartingWith("--instance-id: 'store 1' (expected: 1-200 letters, digits");
  }
}
