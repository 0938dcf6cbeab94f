package dev.baton.cache.local;

import dev.baton.cache.CacheStore;
import dev.baton.cache.CacheStoreFactory;
import dev.baton.config.BatonConfig;
import dev.baton.config.CacheConfig;
import java.time.Clock;

/** {@code cache.type: local}: a {@link LocalCacheStore} bounded by {@code max_entries} and {@code max_bytes}. */
public final class LocalCacheStoreFactory implements CacheStoreFactory {

  @Override
  public String type() {
    return CacheConfig.LOCAL;
  }

  @Override
  public CacheStore create(CacheConfig cache, BatonConfig config, Clock clock) {
    return new LocalCacheStore(cache.maxEntries(), cache.maxBytes(), clock);
  }
}
