package dev.sextant.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import dev.sextant.cluster.internal.ReadWire;
import dev.sextant.cluster.internal.WireWriter;
import dev.sextant.storage.LogQuery;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad calls to the store's read API: a clear status and message, and what the client makes of it. */
class StoreReadServiceTest {
  @TempDir
  Path dir;

  private ReadCluster cluster;
  private WebClient client;

  @BeforeEach
  void start() {
    cluster = new ReadCluster(dir, 1);
    URI u = cluster.uri(0);
    client = WebClient.of("http://" + u.getRawAuthority());
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private AggregatedHttpResponse post(String call, byte[] body) {
    return client.execute(HttpRequest.of(HttpMethod.POST, "/internal/v1/" + call,
        MediaType.OCTET_STREAM, body)).aggregate().join();
  }

  @Test
  void serve_garbledBodyIs400NamingTheProblem() {
    AggregatedHttpResponse res = post("search", new byte[] {1, 5});

    assertThat(res.status().code()).isEqualTo(400);
    assertThat(res.contentUtf8()).contains("bytes");
  }

  @Test
  void serve_otherVersionIs400() {
    AggregatedHttpResponse res = post("services", new byte[] {2});

    assertThat(res.status().code()).isEqualTo(400);
    assertThat(res.contentUtf8()).isEqualTo("read API version 2 (expected: 1)");
  }

  @Test
  void serve_unknownCallIs404AndGetOfACallIs405() {
    assertThat(post("drop-tables", new byte[] {1}).status().code()).isEqualTo(404);
    assertThat(client.get("/internal/v1/services").aggregate().join().status().code())
        .isEqualTo(405);
  }

  @Test
  void pin_badRequestIs400NamingTheField() {
    WireWriter w = ReadWire.writer();
    for (String field : List.of("not-a-trace", "", "INC-1", "evidence", "alert")) {
      w.writeString(field);
    }
    w.writeFixed64(1);

    AggregatedHttpResponse res = post("pin", w.toByteArray());

    assertThat(res.status().code()).isEqualTo(400);
    assertThat(res.contentUtf8()).startsWith("traceId: not-a-trace (expected: ");
    assertThat(post("pins", ReadWire.writer().toByteArray()).status().code()).isEqualTo(200);
  }

  @Test
  void partitions_listsWhatTheNodeOwns() {
    assertThat(client.get("/internal/v1/partitions").aggregate().join().status().code())
        .isEqualTo(200);
  }

  @Test
  void remote_rethrowsTheStoresRefusalAsIllegalArgument() {
    try (RemoteStorage remote = cluster.remote().build()) {
      String foreign = LogCursor.encode(Map.of(cluster.uri(0),
          new LogCursor.Position("not-a-store-cursor", 0, Long.MAX_VALUE, 0)));

      assertThatThrownBy(() -> remote.logReader().search(LogQuery.builder().cursor(foreign)
          .build())).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cursor: not-a-store-cursor");
      assertThatThrownBy(() -> remote.logReader().search(LogQuery.builder().cursor("garbage!")
          .build())).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("cursor: garbage!");
      assertThat(remote.spanConsumer().accept(List.of())).isCompletedExceptionally();
    }
  }
}
