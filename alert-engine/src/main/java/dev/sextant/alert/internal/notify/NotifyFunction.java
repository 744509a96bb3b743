package dev.sextant.alert.internal.notify;

import java.util.List;

/**
 * Receives the alerts a rule group wants sent after an evaluation (Prometheus's
 * {@code rules.NotifyFunc}): active alerts are re-sent every resend delay, resolved alerts once
 * more with {@code endsAt} set to their resolution time. Must not block for long.
 */
@FunctionalInterface
public interface NotifyFunction {
  void send(List<AlertEvent> alerts);
}
