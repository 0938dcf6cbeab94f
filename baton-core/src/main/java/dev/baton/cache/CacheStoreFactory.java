package dev.baton.cache;

import dev.baton.config.BatonConfig;
import dev.baton.config.CacheConfig;
import java.time.Clock;

/**
 * Makes the store a {@code cache.type} names. Modules declare theirs as
 * {@code META-INF/services/dev.baton.cache.CacheStoreFactory}: {@code dev.baton:baton-cache} the
 * {@code local} one (Caffeine), {@code dev.baton:baton-redis} the {@code redis} one. A Baton built with a
 * store of its own ({@code Baton.builder().cache(config, store)}) asks no factory.
 */
public interface CacheStoreFactory {

  /** The {@code cache.type} this factory serves, such as {@code local}. */
  String type();

  /**
   * A new store for this configuration.
   *
   * @param config the whole configuration, for the settings the store needs beside {@code cache:} ({@code redis.url})
   * @param clock what the store's entries expire by: the same clock the cache stamps them with
   */
  CacheStore create(CacheConfig cache, BatonConfig config, Clock clock);
}
