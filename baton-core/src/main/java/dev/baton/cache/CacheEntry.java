package dev.baton.cache;

/**
 * One cached answer, as its store keeps it.
 *
 * @param value the answer, serialised by the cache (opaque to the store)
 * @param createdAtMillis when it was stored (epoch milliseconds), for {@code Cache-Control: max-age}
 * @param expiresAtMillis when it stops being served (epoch milliseconds)
 */
public record CacheEntry(byte[] value, long createdAtMillis, long expiresAtMillis) {

  public CacheEntry {
    if (expiresAtMillis < createdAtMillis) {
      throw new IllegalArgumentException("an entry cannot expire (" + expiresAtMillis + ") before it is created ("
          + createdAtMillis + ")");
    }
  }
}
