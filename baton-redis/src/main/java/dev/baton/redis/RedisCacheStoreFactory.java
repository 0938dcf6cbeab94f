package dev.baton.redis;

import dev.baton.ConfigException;
import dev.baton.cache.CacheStore;
import dev.baton.cache.CacheStoreFactory;
import dev.baton.config.BatonConfig;
import dev.baton.config.CacheConfig;
import dev.baton.config.RedisConfig;
import java.time.Clock;

/**
 * {@code cache.type: redis} where no gateway hands the cache its shared store: an SDK's
 * {@code Baton.fromConfig(...)} or {@code Baton.builder().config(...)} with {@code redis:} and
 * {@code cache: type: redis}. The store gets a Redis link of its own, which counts as no gateway instance and
 * closes with the store. A gateway passes {@code SharedState.cacheStore()} instead, on the link it already
 * holds, and asks no factory.
 */
public final class RedisCacheStoreFactory implements CacheStoreFactory {

  @Override
  public String type() {
    return CacheConfig.REDIS;
  }

  @Override
  public CacheStore create(CacheConfig cache, BatonConfig config, Clock clock) {
    RedisConfig redis = config.redis();
    if (redis.url() == null) {
      throw new ConfigException("cache.type: a redis cache needs redis.url, the Redis every instance shares");
    }
    return new RedisCacheStore(new RedisLink(redis.url().reveal(), redis.redactedUrl(), false), true);
  }
}
