package dev.sextant.alert.replication;

import org.jspecify.annotations.Nullable;

/**
 * Hears every write to an alert engine's durable state, after it is durable locally, on the
 * writing thread (rule evaluation, dispatch, delivery, or an API call adding a silence). Set with
 * {@link dev.sextant.alert.AlertEngineBuilder#stateListener}.
 *
 * <p>{@code table} is one of {@link StateDirectory#TABLES}; {@code key} and {@code value} are the
 * engine's own encodings, opaque to the listener and valid only during the call (copy to keep).
 * {@code value} is null when the entry was deleted. An exception thrown here fails the engine's
 * operation that wrote (the local write stays): a replicating listener throws when it may no longer
 * write (a fenced leader), which stops that evaluation, dispatch or delivery step.
 */
@FunctionalInterface
public interface StateListener {
  void changed(String table, byte[] key, byte @Nullable [] value);
}
