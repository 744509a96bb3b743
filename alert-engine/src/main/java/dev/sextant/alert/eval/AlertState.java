package dev.sextant.alert.eval;

import java.util.Locale;

/** The state of one alert instance; a resolved alert is {@link #INACTIVE} with a resolvedAt. */
public enum AlertState {
  INACTIVE, PENDING, FIRING;

  /** Prometheus's spelling, as in {@code ALERTS{alertstate="firing"}}. */
  public String promName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
