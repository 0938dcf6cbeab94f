package dev.baton.cache;

import org.jspecify.annotations.Nullable;

/**
 * Where cached answers live: in this process, or shared by every instance (Redis). The cache's policy —
 * what a key is made of, scopes, {@code Cache-Control}, what may be stored — is not the store's business:
 * a store keeps opaque entries under opaque keys until they expire.
 *
 * <p>A store is on the request path, so it must answer quickly: a shared store bounds every call by its own
 * short timeout and, when it cannot answer in time or at all, behaves as a miss ({@code get} returns null,
 * {@code put} drops the entry). Neither method throws.
 */
public interface CacheStore extends AutoCloseable {

  /** The live entry under {@code key}, or null when there is none, it expired, or the store cannot tell now. */
  @Nullable CacheEntry get(String key);

  /** Keeps {@code entry} under {@code key} until {@link CacheEntry#expiresAtMillis()}; best effort. */
  void put(String key, CacheEntry entry);

  @Override
  default void close() {}
}
