package dev.sextant.storage;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Warnings a read attaches to its answer: how a {@link Storage} whose data lives on several nodes
 * (the cluster's remote store) says that an answer is partial, e.g. a store node that did not
 * answer in time, without failing the read. The reader that serves a request opens a collector
 * on its thread with {@link #collect()}, calls storage, then puts {@link Collector#warnings()}
 * into its response (the query API does, in its {@code warnings} fields, as Prometheus does).
 *
 * <p>Warnings are per thread: a storage reports on the thread that called it (its reads are
 * synchronous). A report with no collector open on the thread is dropped: the storage is
 * expected to log it too. Collectors nest; a report goes to the innermost one. Equal warnings are
 * kept once, in the order first reported.
 */
public final class ReadWarnings {
  private static final ThreadLocal<@Nullable Collector> CURRENT = new ThreadLocal<>();

  private ReadWarnings() {}

  /**
   * The warnings of this thread's innermost open collector so far, or an empty list when none is
   * open: for a writer of a response that runs inside the reader's collector.
   */
  public static List<String> current() {
    Collector c = CURRENT.get();
    return c == null ? List.of() : c.warnings();
  }

  /** Starts collecting on this thread until the returned collector is closed. */
  public static Collector collect() {
    Collector c = new Collector(CURRENT.get());
    CURRENT.set(c);
    return c;
  }

  /** Adds {@code warning} to this thread's innermost open collector, if any. */
  public static void report(String warning) {
    requireNonNull(warning, "warning");
    Collector c = CURRENT.get();
    if (c != null) {
      c.warnings.add(warning);
    }
  }

  /** The warnings reported on one thread while it was open. Close it on the opening thread. */
  public static final class Collector implements AutoCloseable {
    private final @Nullable Collector outer;
    private final Set<String> warnings = new LinkedHashSet<>();

    private Collector(@Nullable Collector outer) {
      this.outer = outer;
    }

    /** The warnings so far, in the order reported. */
    public List<String> warnings() {
      return new ArrayList<>(warnings);
    }

    /** Stops collecting; the enclosing collector, if any, collects again. */
    @Override
    public void close() {
      if (CURRENT.get() == this) {
        if (outer == null) {
          CURRENT.remove();
        } else {
          CURRENT.set(outer);
        }
      }
    }
  }
}
