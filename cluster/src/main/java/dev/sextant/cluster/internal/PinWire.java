package dev.sextant.cluster.internal;

import dev.sextant.storage.Pin;
import dev.sextant.storage.PinRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The pin calls' bodies of the store's internal API (docs/cluster-reads.md, version
 * {@value ReadWire#VERSION}, after {@link ReadWire}'s version byte): a pin request as its five
 * strings, a pin as its six strings, its three times (fixed64 ms) and its two counts (varints).
 * {@link PinRequest}'s own checks run on decode, so a bad request is refused with its message.
 */
public final class PinWire {
  private PinWire() {}

  public static void writeRequest(WireWriter w, PinRequest r) {
    w.writeString(r.traceId());
    w.writeString(r.correlationId());
    w.writeString(r.incidentId());
    w.writeString(r.reason());
    w.writeString(r.pinnedBy());
  }

  /**
   * @throws IllegalArgumentException naming the field when the request is not one
   *     {@link PinRequest} accepts
   */
  public static PinRequest readRequest(WireReader r) {
    return new PinRequest(r.readString(), r.readString(), r.readString(), r.readString(),
        r.readString());
  }

  public static void writePin(WireWriter w, Pin p) {
    w.writeString(p.id());
    w.writeString(p.traceId());
    w.writeString(p.correlationId());
    w.writeString(p.incidentId());
    w.writeString(p.reason());
    w.writeString(p.pinnedBy());
    w.writeFixed64(p.createdAtMillis());
    w.writeFixed64(p.resolvedAtMillis());
    w.writeFixed64(p.expiresAtMillis());
    w.writeVarInt(p.spans());
    w.writeVarInt(p.logs());
  }

  public static Pin readPin(WireReader r) {
    return new Pin(r.readString(), r.readString(), r.readString(), r.readString(),
        r.readString(), r.readString(), r.readFixed64(), r.readFixed64(), r.readFixed64(),
        r.readVarInt(), r.readVarInt());
  }

  public static void writePins(WireWriter w, List<Pin> pins) {
    w.writeVarInt(pins.size());
    pins.forEach(p -> writePin(w, p));
  }

  public static List<Pin> readPins(WireReader r) {
    int n = r.readCount(30); // six strings, three fixed64s, two varints: at least 32 bytes
    List<Pin> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(readPin(r));
    }
    return out;
  }
}
