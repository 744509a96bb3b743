package dev.sextant.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterReadsTest {
  private static final String TOKEN = "cluster-token-0123456789abcdef";

  private static ClusterSettings settings(Set<Role> roles, List<String> stores) {
    return new ClusterSettings(roles, "127.0.0.1:9092", 4, (short) 1, false, "g", null, null,
        stores);
  }

  @Test
  void checkToken_storeOrQueryBeyondLoopbackWithoutTokenFailsNamingTheSetting() {
    for (Role r : List.of(Role.STORE, Role.QUERY, Role.ALERT)) {
      assertThatThrownBy(() -> ClusterReads.checkToken(settings(Set.of(r), List.of()),
          "0.0.0.0", false)).as("%s", r).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cluster.internalToken: missing")
          .hasMessageContaining("SEXTANT_CLUSTER_TOKEN")
          .hasMessageContaining("listens on 0.0.0.0");
    }
  }

  @Test
  void checkToken_authenticationOnWithoutTokenFailsEvenOnLoopback() {
    assertThatThrownBy(() -> ClusterReads.checkToken(settings(Set.of(Role.STORE), List.of()),
        "127.0.0.1", true)).hasMessageContaining("has authentication on");
  }

  @Test
  void checkToken_loopbackWithoutAuthOrATokenOrACollectorOnlyPass() {
    assertThatCode(() -> ClusterReads.checkToken(settings(Set.of(Role.STORE), List.of()),
        "127.0.0.1", false)).doesNotThrowAnyException();
    assertThatCode(() -> ClusterReads.checkToken(settings(Set.of(Role.STORE), List.of())
        .withInternalToken(TOKEN), "0.0.0.0", true)).doesNotThrowAnyException();
    assertThatCode(() -> ClusterReads.checkToken(settings(Set.of(Role.COLLECTOR), List.of()),
        "0.0.0.0", false)).doesNotThrowAnyException();
  }

  @Test
  void queryStorage_noStoresOrABadUrlFailsNamingTheSetting() {
    assertThatThrownBy(() -> ClusterReads.queryStorage(settings(Set.of(Role.QUERY), List.of())))
        .hasMessageContaining("cluster.stores: []");
    assertThatThrownBy(() -> ClusterReads.queryStorage(settings(Set.of(Role.QUERY),
        List.of("store-1:8686")))).hasMessageContaining("cluster.stores: 'store-1:8686'");
  }

  @Test
  void clusterSettings_tokenTooShortRefusedAndMaskedInToString() {
    assertThatThrownBy(() -> settings(Set.of(Role.STORE), List.of()).withInternalToken("short"))
        .hasMessage("cluster.internalToken: 5 characters (expected: at least 16, e.g. from "
            + "'openssl rand -hex 32')");
    ClusterSettings s = settings(Set.of(Role.STORE), List.of()).withInternalToken(TOKEN);
    assertThat(s.internalToken()).isEqualTo(TOKEN);
    assertThat(s.toString()).doesNotContain(TOKEN).contains("internalToken=<secret>");
  }
}
