package dev.sextant.collector.zipkin;

import io.opentelemetry.proto.trace.v1.Span;

/**
 * A span's endpoints as OpenTelemetry semantic-convention attributes. The local endpoint's
 * service name is the resource's {@code service.name} (not here); its address and port are
 * {@code network.local.*}. The remote endpoint is the peer: {@code peer.service} (what the
 * service graph links by), {@code network.peer.*}, and, by the span's kind, the server side
 * ({@code server.*} for a client, producer or consumer, whose peer is a server or broker) or the
 * client side ({@code client.*} for a server).
 */
final class ZipkinEndpoints {
  private ZipkinEndpoints() {}

  static void addAttributes(ZipkinSpan z, Span.Builder s) {
    ZipkinSpan.Endpoint local = z.localEndpoint();
    if (local != null) {
      address(s, "network.local", local);
    }
    ZipkinSpan.Endpoint remote = z.remoteEndpoint();
    if (remote == null) {
      return;
    }
    if (!remote.serviceName().isEmpty()) {
      s.addAttributes(ZipkinToOtlp.string("peer.service", remote.serviceName()));
    }
    address(s, "network.peer", remote);
    if (z.kind() == ZipkinSpan.Kind.SERVER) {
      address(s, "client", remote);
    } else if (z.kind() != null) {
      address(s, "server", remote);
    }
  }

  private static void address(Span.Builder s, String prefix, ZipkinSpan.Endpoint e) {
    if (!e.ip().isEmpty()) {
      s.addAttributes(ZipkinToOtlp.string(prefix + ".address", e.ip()));
    }
    if (e.port() > 0) {
      s.addAttributes(ZipkinToOtlp.integer(prefix + ".port", e.port()));
    }
  }
}
