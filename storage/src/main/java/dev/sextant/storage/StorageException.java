package dev.sextant.storage;

/** A storage failure the caller cannot fix by changing its input (I/O, corruption, closed). */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageException(String message) {
    super(message);
  }
}
