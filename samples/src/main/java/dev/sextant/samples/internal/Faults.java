package dev.sextant.samples.internal;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Faults injected over HTTP ({@code POST /admin/faults?errorRate=0.5&latencyMs=800&latencyRate=0.2
 * &down=true&errorKey=acme}, {@code reset=true} clears all): an error rate, latency spikes on a
 * share of requests, or the whole service answering 503 as if it were down. With an
 * {@code errorKey}, only the calls of that key fail (payments: the charges through that
 * provider), as when one dependency breaks.
 */
public final class Faults {
  private volatile double errorRate;
  private volatile long latencyMs;
  private volatile double latencyRate;
  private volatile boolean down;
  private volatile String errorKey = "";

  /** Applies the given parameters; the others keep their values. Validates all before applying. */
  public synchronized void update(Map<String, String> params) {
    boolean reset = Boolean.parseBoolean(params.getOrDefault("reset", "false"));
    double er = reset ? 0 : errorRate;
    long lm = reset ? 0 : latencyMs;
    double lr = reset ? 0 : latencyRate;
    boolean dn = !reset && down;
    String ek = reset ? "" : errorKey;
    if (params.containsKey("errorKey")) {
      ek = params.get("errorKey");
      if (!ek.matches("[A-Za-z0-9._-]{0,64}")) {
        throw new IllegalArgumentException("errorKey: " + ek
            + " (expected: 0-64 of [A-Za-z0-9._-])");
      }
    }
    if (params.containsKey("errorRate")) {
      er = ratio("errorRate", params.get("errorRate"));
    }
    if (params.containsKey("latencyMs")) {
      double v = Args.number("latencyMs", params.get("latencyMs"));
      if (v < 0 || v > 60_000) {
        throw new IllegalArgumentException("latencyMs: " + params.get("latencyMs")
            + " (expected: 0-60000)");
      }
      lm = (long) v;
      if (!params.containsKey("latencyRate") && lr == 0) {
        lr = 1; // a latency without a rate means every request
      }
    }
    if (params.containsKey("latencyRate")) {
      lr = ratio("latencyRate", params.get("latencyRate"));
    }
    if (params.containsKey("down")) {
      String v = params.get("down");
      if (!v.equals("true") && !v.equals("false")) {
        throw new IllegalArgumentException("down: " + v + " (expected: true or false)");
      }
      dn = Boolean.parseBoolean(v);
    }
    errorRate = er;
    latencyMs = lm;
    latencyRate = lr;
    down = dn;
    errorKey = ek;
  }

  private static double ratio(String name, String v) {
    double d = Args.number(name, v);
    if (!(d >= 0 && d <= 1)) {
      throw new IllegalArgumentException(name + ": " + v + " (expected: 0.0-1.0)");
    }
    return d;
  }

  public boolean down() {
    return down;
  }

  /** True for the share of calls the error rate asks to fail. */
  public boolean shouldFail() {
    double r = errorRate;
    return r > 0 && ThreadLocalRandom.current().nextDouble() < r;
  }

  /** As {@link #shouldFail()}, for a call of {@code key}: never when the errors are another key's. */
  public boolean shouldFail(String key) {
    String only = errorKey;
    return (only.isEmpty() || only.equals(key)) && shouldFail();
  }

  /** Sleeps the injected latency on the share of calls the latency rate asks for. */
  public void maybeDelay() throws InterruptedException {
    long ms = latencyMs;
    if (ms > 0 && ThreadLocalRandom.current().nextDouble() < latencyRate) {
      Thread.sleep(ms);
    }
  }

  public Map<String, Object> describe() {
    return Map.of("errorRate", errorRate, "latencyMs", latencyMs, "latencyRate", latencyRate,
        "down", down, "errorKey", errorKey);
  }
}
