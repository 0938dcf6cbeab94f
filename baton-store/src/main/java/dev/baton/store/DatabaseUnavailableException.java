package dev.baton.store;

/**
 * The database cannot be reached. At start this is fatal: its message is one line, made for the terminal
 * ({@code database: cannot connect to PostgreSQL at db:5432/baton: Connection refused}), and the CLI
 * exits with code 2. While serving it is not: requests go on and the spend log keeps a journal.
 */
public final class DatabaseUnavailableException extends StoreException {

  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
