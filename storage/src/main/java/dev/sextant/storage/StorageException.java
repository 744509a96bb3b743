package dev.sextant.storage;

import org.jspecify.annotations.Nullable;

/** A storage failure the caller cannot fix by changing its input (I/O, corruption, closed). */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  public StorageException(String message) {
    super(message);
  }
}
