package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.sextant.storage.Ids;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, for real: the server runs in a child JVM inside its own mount namespace
 * ({@code unshare -rm}) with its data directory on a 512 MiB tmpfs, which the test fills through
 * {@code /proc/<pid>/root}. Ingest must be refused with 503 / UNAVAILABLE and a retry hint,
 * acknowledge nothing it did not persist, and work again once the space is back.
 */
class StorageFaultTest {
  private static final long MIB = 1 << 20;

  @TempDir
  Path dir;

  @Test
  void diskBelowMinFree_refusesIngestBeforeWriting_thenRecovers() throws Exception {
    try (SextantChild child = startOnTmpfs(128 * MIB)) {
      File mnt = mountInChild(child);
      fill(mnt, mnt.getUsableSpace() - 64 * MIB);
      AggregatedHttpResponse refused = postTrace(child, OtlpRequests.randomId(16), 5, 0);
      assertThat(refused.status().code()).isEqualTo(503);
      assertThat(refused.headers().get("retry-after")).isNotNull();
      assertThat(refused.contentUtf8()).contains("disk full").contains("nothing from this"
          + " request was stored");
      StatusRuntimeException grpc = grpcRefusal(child);
      assertThat(grpc.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(TestClient.get(child.httpPort, "/health").json().at("/checks/disk_space/status")
          .asText()).isEqualTo("down"); // and /health still answers
      Files.delete(mnt.toPath().resolve("fill"));
      byte[] traceId = OtlpRequests.randomId(16);
      await().atMost(Duration.ofSeconds(30))
          .until(() -> postTrace(child, traceId, 5, 0).status().code() == 200);
      assertThat(TestClient.get(child.httpPort, "/api/traces/" + Ids.toHex(traceId)).json()
          .get("spanCount").asInt()).isEqualTo(5);
      System.out.println("disk below minimum: refused with " + refused.status() + " / "
          + grpc.getStatus().getCode() + ", recovered after freeing space");
    }
  }

  @Test
  void diskFullDuringWrite_refusesWithoutAcknowledging_thenRecovers() throws Exception {
    try (SextantChild child = startOnTmpfs(0)) { // no threshold: the write itself fails
      File mnt = mountInChild(child);
      fill(mnt, Long.MAX_VALUE);
      List<byte[]> acked = new ArrayList<>();
      AggregatedHttpResponse refused = null;
      for (int i = 0; i < 20 && refused == null; i++) {
        byte[] traceId = OtlpRequests.randomId(16);
        AggregatedHttpResponse r = postTrace(child, traceId, 150, 20); // ~12 MB each
        if (r.status().code() == 200) {
          acked.add(traceId); // fits in what RocksDB preallocated for its log
        } else {
          refused = r;
        }
      }
      assertThat(refused).as("a write on a full disk must fail").isNotNull();
      assertThat(refused.status().code()).as(refused.contentUtf8()).isEqualTo(503);
      assertThat(refused.headers().get("retry-after")).isNotNull();
      assertThat(refused.contentUtf8()).contains("nothing from this request was stored");
      Files.delete(mnt.toPath().resolve("fill"));
      byte[] after = OtlpRequests.randomId(16);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
          .until(() -> postTrace(child, after, 5, 0).status().code() == 200);
      acked.add(after);
      for (byte[] traceId : acked) {
        TestClient.Response t = TestClient.get(child.httpPort, "/api/traces/"
            + Ids.toHex(traceId));
        assertThat(t.status()).isEqualTo(200);
      }
      System.out.println("disk full during write: " + (acked.size() - 1) + " large exports"
          + " acknowledged before the write failed with " + refused.status() + " ("
          + refused.contentUtf8() + "); recovered after freeing space; all acknowledged"
          + " traces readable");
    }
  }

  private SextantChild startOnTmpfs(long minFreeDiskBytes) throws Exception {
    assumeTrue(canUnshare(), "needs unprivileged user and mount namespaces (unshare -rm)");
    Path mnt = Files.createDirectories(dir.resolve("mnt"));
    Path config = Files.writeString(dir.resolve("sextant.yml"),
        "health: { minFreeDiskBytes: " + minFreeDiskBytes + " }\n");
    return SextantChild.start(List.of("unshare", "-rm", "sh", "-c",
        "mount -t tmpfs -o size=512m tmpfs \"$0\" && exec \"$@\"", mnt.toString()),
        List.of("-Xmx384m", "-XX:+UseSerialGC"), mnt.resolve("data"), config,
        dir.resolve("server.log"));
  }

  /** The tmpfs as the child sees it (it is invisible from the test's own namespace). */
  private File mountInChild(SextantChild child) {
    return new File("/proc/" + child.process.pid() + "/root" + dir.resolve("mnt"));
  }

  private static boolean canUnshare() {
    try {
      Process p = new ProcessBuilder("unshare", "-rm", "true").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Writes up to {@code bytes} (or until the disk is full) into {@code mnt/fill}. */
  private static void fill(File mnt, long bytes) throws IOException {
    byte[] chunk = new byte[(int) MIB];
    try (RandomAccessFile f = new RandomAccessFile(new File(mnt, "fill"), "rw")) {
      for (long written = 0; written < bytes; written += chunk.length) {
        f.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
      }
    } catch (IOException full) {
      if (!String.valueOf(full.getMessage()).contains("No space left")) {
        throw full;
      }
    }
  }

  private static AggregatedHttpResponse postTrace(SextantChild child, byte[] traceId, int spans,
      int bigAttributes) {
    ExportTraceServiceRequest.Builder req = OtlpRequests.trace(traceId, spans, "disk").toBuilder();
    if (bigAttributes > 0) {
      String value = "v".repeat(4000);
      var scope = req.getResourceSpansBuilder(0).getScopeSpansBuilder(0);
      for (Span.Builder s : scope.getSpansBuilderList()) {
        for (int a = 0; a < bigAttributes; a++) {
          s.addAttributes(KeyValue.newBuilder().setKey("k" + a)
              .setValue(AnyValue.newBuilder().setStringValue(value)));
        }
      }
    }
    return WebClient.builder("http://127.0.0.1:" + child.otlpHttpPort)
        .responseTimeoutMillis(60_000).maxResponseLength(0).build()
        .execute(RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
            .contentType(MediaType.parse("application/x-protobuf")).build(),
            HttpData.wrap(req.build().toByteArray())).aggregate().join();
  }

  private static StatusRuntimeException grpcRefusal(SextantChild child) {
    try {
      GrpcClients.newClient("http://127.0.0.1:" + child.grpcPort,
          TraceServiceGrpc.TraceServiceBlockingStub.class)
          .export(OtlpRequests.trace(OtlpRequests.randomId(16), 1, "disk"));
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("export acknowledged on a full disk");
  }
}
