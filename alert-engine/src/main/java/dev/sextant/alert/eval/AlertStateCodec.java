package dev.sextant.alert.eval;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.storage.metrics.Labels;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** JSON form of a rule's alerts in the state store. */
final class AlertStateCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Stored(Map<String, String> labels, Map<String, String> annotations, String state,
      double value, Long activeAt, Long firedAt, Long resolvedAt, Long lastSentAt,
      Long keepFiringSince, Long validUntil) {}

  record Snapshot(long savedAt, List<Stored> alerts) {}

  private AlertStateCodec() {}

  static byte[] encode(Instant savedAt, List<Alert> alerts) {
    List<Stored> s = new ArrayList<>();
    for (Alert a : alerts) {
      s.add(new Stored(a.labels.toMap(), a.annotations, a.state.name(), a.value, ms(a.activeAt),
          ms(a.firedAt), ms(a.resolvedAt), ms(a.lastSentAt), ms(a.keepFiringSince),
          ms(a.validUntil)));
    }
    try {
      return JSON.writeValueAsBytes(new Snapshot(savedAt.toEpochMilli(), s));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Decodes, shifting pending alerts' activeAt by the downtime so the time already spent pending
   * counts but the outage does not (Prometheus's for-state restore).
   */
  static List<Alert> decode(byte[] bytes, Instant now) throws IOException {
    Snapshot snap = JSON.readValue(bytes, new TypeReference<Snapshot>() {});
    Duration down = Duration.between(Instant.ofEpochMilli(snap.savedAt()), now);
    if (down.isNegative()) {
      down = Duration.ZERO;
    }
    List<Alert> out = new ArrayList<>();
    for (Stored s : snap.alerts()) {
      Alert a = new Alert(Labels.of(s.labels()), Map.copyOf(s.annotations()),
          AlertState.valueOf(s.state()), s.value(), inst(s.activeAt()));
      a.firedAt = inst(s.firedAt());
      a.resolvedAt = inst(s.resolvedAt());
      a.lastSentAt = inst(s.lastSentAt());
      a.keepFiringSince = inst(s.keepFiringSince());
      a.validUntil = inst(s.validUntil());
      if (a.state == AlertState.PENDING) {
        a.activeAt = a.activeAt.plus(down);
      }
      out.add(a);
    }
    return out;
  }

  private static Long ms(Instant i) {
    return i == null ? null : i.toEpochMilli();
  }

  private static Instant inst(Long l) {
    return l == null ? null : Instant.ofEpochMilli(l);
  }
}
