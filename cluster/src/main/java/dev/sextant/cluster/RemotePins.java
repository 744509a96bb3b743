package dev.sextant.cluster;

import static java.util.Objects.requireNonNull;

import dev.sextant.cluster.internal.PinWire;
import dev.sextant.cluster.internal.ReadWire;
import dev.sextant.cluster.internal.WireReader;
import dev.sextant.cluster.internal.WireWriter;
import dev.sextant.storage.Pin;
import dev.sextant.storage.PinRequest;
import dev.sextant.storage.Pins;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link RemoteStorage}'s pinned set: every call goes to every store, as one tenant. A pin is
 * made on each store, which copies what it holds of the target (a trace lives in one partition,
 * a correlation ID's log lines may be spread over all of them) and keeps a record of the pin
 * even when it holds nothing, so that listing, unpinning and resolving work the same on every
 * store. Pins are idempotent by ID (the target and incident), so a call that reached only some
 * stores is made whole by repeating it.
 *
 * <p>Merging: a pin listed by several stores is one pin, in the state of the copy changed last
 * (pinned or resolved), with the most spans any store copied (a trace's spans are on its
 * partition's owner, and on a second replica) and the log lines of every store summed (a
 * replica's lines are counted twice). A store that fails or does not answer is reported through
 * {@link dev.sextant.storage.ReadWarnings} and logged; when none answers the call throws
 * {@link dev.sextant.storage.StorageException}. A store at its pin limit fails a pin with
 * {@link Pins.PinLimitException}, after the other stores pinned.
 */
final class RemotePins implements Pins {
  private final StoreClients clients;
  private final String tenant;

  RemotePins(StoreClients clients, String tenant) {
    this.clients = clients;
    this.tenant = tenant;
  }

  @Override
  public Pin pin(PinRequest request, long nowMillis) {
    requireNonNull(request, "request");
    WireWriter w = ReadWire.writer();
    PinWire.writeRequest(w, request);
    w.writeFixed64(nowMillis);
    return merge(clients.fanOut(clients.stores(), "pin", tenant, w.toByteArray(),
        PinWire::readPin));
  }

  @Override
  public boolean unpin(String id) {
    requireNonNull(id, "id");
    WireWriter w = ReadWire.writer();
    w.writeString(id);
    return clients.fanOut(clients.stores(), "unpin", tenant, w.toByteArray(),
        r -> r.readByte() == 1).contains(Boolean.TRUE);
  }

  @Override
  public List<Pin> list() {
    Map<String, List<Pin>> byId = new LinkedHashMap<>();
    for (List<Pin> pins : clients.fanOut(clients.stores(), "pins", tenant,
        ReadWire.writer().toByteArray(), PinWire::readPins)) {
      pins.forEach(p -> byId.computeIfAbsent(p.id(), k -> new ArrayList<>()).add(p));
    }
    List<Pin> out = new ArrayList<>();
    byId.values().forEach(copies -> out.add(merge(copies)));
    out.sort(Comparator.comparingLong(Pin::createdAtMillis).reversed().thenComparing(Pin::id));
    return out;
  }

  @Override
  public int resolve(String incidentId, long atMillis) {
    requireNonNull(incidentId, "incidentId");
    WireWriter w = ReadWire.writer();
    w.writeString(incidentId);
    w.writeFixed64(atMillis);
    // Every store keeps a record of every pin: each counts the same pins.
    return clients.fanOut(clients.stores(), "resolve", tenant, w.toByteArray(),
        WireReader::readVarInt).stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  /** One pin from its stores' copies (at least one). */
  static Pin merge(Collection<Pin> copies) {
    Pin last = null;
    int spans = 0;
    long logs = 0;
    for (Pin p : copies) {
      if (last == null || changed(p) > changed(last)) {
        last = p;
      }
      spans = Math.max(spans, p.spans());
      logs += p.logs();
    }
    requireNonNull(last, "copies");
    return new Pin(last.id(), last.traceId(), last.correlationId(), last.incidentId(),
        last.reason(), last.pinnedBy(), last.createdAtMillis(), last.resolvedAtMillis(),
        last.expiresAtMillis(), spans, (int) Math.min(Integer.MAX_VALUE, logs));
  }

  private static long changed(Pin p) {
    return Math.max(p.createdAtMillis(), p.resolvedAtMillis());
  }
}
