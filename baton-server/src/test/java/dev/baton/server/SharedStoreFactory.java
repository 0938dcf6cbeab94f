package dev.baton.server;

import dev.baton.cache.CacheStore;
import dev.baton.cache.CacheStoreFactory;
import dev.baton.cache.SharedMemoryStore;
import dev.baton.config.BatonConfig;
import dev.baton.config.CacheConfig;
import java.time.Clock;

/**
 * {@code cache.type: shared-memory}, for tests: every gateway of the test JVM configured with it shares
 * {@link #STORE}, as instances share a Redis — the config seam a shared store plugs into
 * ({@code META-INF/services/dev.baton.cache.CacheStoreFactory}), exercised before the Redis one exists.
 */
public final class SharedStoreFactory implements CacheStoreFactory {

  static final String TYPE = "shared-memory";
  static final SharedMemoryStore STORE = new SharedMemoryStore();

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public CacheStore create(CacheConfig cache, BatonConfig config, Clock clock) {
    return new CacheStore() {
      @Override
      public dev.baton.cache.CacheEntry get(String key) {
        return STORE.get(key);
      }

      @Override
      public void put(String key, dev.baton.cache.CacheEntry entry) {
        STORE.put(key, entry);
      }
      // closing one gateway leaves the shared entries to the others
    };
  }
}
