package dev.sextant.ui;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.Storage;

/** Builds a {@link WebUi}. {@link #storage(Storage)} is required. */
public final class WebUiBuilder {
  private Storage storage;

  WebUiBuilder() {}

  /** The storage the pages read, in-process (span search, logs). */
  public WebUiBuilder storage(Storage storage) {
    this.storage = requireNonNull(storage, "storage");
    return this;
  }

  /**
   * Builds the UI; templates are compiled lazily on first use.
   *
   * @throws IllegalStateException when no storage was set
   */
  public WebUi build() {
    if (storage == null) {
      throw new IllegalStateException("storage: not set (expected: a Storage)");
    }
    return new DefaultWebUi(storage);
  }
}
