package dev.sextant.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InternalAuthTest {
  private static final String TOKEN = "cluster-token-0123456789abcdef";

  @Test
  void refusal_theClusterTokenAsBearerPasses() {
    InternalAuth auth = new InternalAuth(TOKEN);
    assertThat(auth.refusal("Bearer " + TOKEN)).isNull();
    assertThat(auth.refusal("bearer " + TOKEN)).isNull();
  }

  @Test
  void refusal_missingOrOtherSchemeSaysMissing() {
    InternalAuth auth = new InternalAuth(TOKEN);
    assertThat(auth.refusal(null)).contains("missing cluster token", "SEXTANT_CLUSTER_TOKEN");
    assertThat(auth.refusal("Basic " + TOKEN)).contains("missing cluster token");
    assertThat(auth.refusal(TOKEN)).contains("missing cluster token");
  }

  @Test
  void refusal_wrongTokenSaysWrong() {
    InternalAuth auth = new InternalAuth(TOKEN);
    assertThat(auth.refusal("Bearer " + TOKEN + "x")).contains("wrong cluster token");
    assertThat(auth.refusal("Bearer " + TOKEN.substring(1))).contains("wrong cluster token");
    assertThat(auth.refusal("Bearer ")).contains("wrong cluster token");
  }

  @Test
  void refusal_noTokenIsOpenAndRefuseAllRefusesEverything() {
    assertThat(new InternalAuth(null).refusal(null)).isNull();
    InternalAuth closed = new InternalAuth(InternalAuth.REFUSE_ALL);
    assertThat(closed.refusal(null)).isNotNull();
    assertThat(closed.refusal("Bearer " + InternalAuth.REFUSE_ALL.substring(1))).isNotNull();
    assertThat(closed.refusal("Bearer refuse-all")).isNotNull();
  }
}
