package dev.baton.store;

/**
 * The database failed an operation. Its message says what was being done and why it failed, never with
 * a password or a key's secret in it.
 */
public class StoreException extends RuntimeException {

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
