package dev.sextant.server.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * UI sessions kept on the server: the cookie holds a random 256-bit id, never the token, so a
 * stolen cookie dies at logout or expiry and the token itself never reaches the browser's
 * storage. Bounded: at {@code maxSessions} the oldest session is dropped.
 */
final class SessionStore {
  static final String COOKIE = "sextant_session";

  private final SecureRandom random = new SecureRandom();
  private final Duration ttl;
  private final int maxSessions;
  private final Clock clock;
  // Insertion order is creation order, so the first entry is the oldest.
  private final Map<String, Session> sessions = new LinkedHashMap<>();

  private record Session(Principal principal, long expiresAtMillis) {}

  SessionStore(Duration ttl, int maxSessions, Clock clock) {
    this.ttl = ttl;
    this.maxSessions = maxSessions;
    this.clock = clock;
  }

  synchronized String create(Principal principal) {
    long now = clock.millis();
    sessions.values().removeIf(s -> s.expiresAtMillis <= now);
    Iterator<String> oldest = sessions.keySet().iterator();
    while (sessions.size() >= maxSessions && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
    byte[] id = new byte[32];
    random.nextBytes(id);
    String key = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    sessions.put(key, new Session(principal, now + ttl.toMillis()));
    return key;
  }

  /** The principal of a live session, or null for unknown and expired ids. */
  synchronized Principal get(String id) {
    if (id == null) {
      return null;
    }
    Session s = sessions.get(id);
    if (s == null) {
      return null;
    }
    if (s.expiresAtMillis <= clock.millis()) {
      sessions.remove(id);
      return null;
    }
    return s.principal;
  }

  synchronized void remove(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  long ttlSeconds() {
    return ttl.toSeconds();
  }
}
