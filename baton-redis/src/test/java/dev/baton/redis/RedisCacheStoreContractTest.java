package dev.baton.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cache.CacheStore;
import dev.baton.cache.CacheStoreContract;
import dev.baton.cache.CacheStores;
import dev.baton.config.CacheConfig;
import dev.baton.config.ConfigLoader;
import dev.baton.config.Environment;
import dev.baton.testkit.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis store keeps every promise of {@link CacheStoreContract} against a real Redis, and
 * {@code cache.type: redis} finds it through {@link CacheStores}.
 *
 * <p>The stores here wait up to a second for a lookup instead of the request path's 12 ms: this class pins
 * what the store keeps and returns, and must not turn a slow moment of a busy build machine into a miss.
 * {@link RedisCacheStoreTest} pins the request path's bound (a hung or dead Redis is a miss within it).
 */
class RedisCacheStoreContractTest extends CacheStoreContract {

  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Override
  protected CacheStore newStore() {
    // a fresh database per store, so no test sees another's keys
    RedisLink link = new RedisLink(redis.url(), "test", false);
    try {
      link.commands().flushdb().get(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      link.close();
      throw new AssertionError("could not empty the test Redis: " + e, e);
    }
    return new RedisCacheStore(link, true, Duration.ofSeconds(1));
  }

  @Test
  void cacheTypeRedisIsMadeByTheFactoryOnItsOwnLinkAndSharesEntries() {
    var config = ConfigLoader.parse("""
        redis:
          url: %s
        models:
          - {name: smart, provider: mock, model: smart-1}
        cache:
          type: redis
        """.formatted(redis.url()), "baton.yaml", Environment.of(Map.of()));
    CacheConfig cache = config.cache();

    try (CacheStore one = CacheStores.create(cache, config, Clock.systemUTC());
        CacheStore two = CacheStores.create(cache, config, Clock.systemUTC())) {
      assertThat(one).isInstanceOf(RedisCacheStore.class);
      one.put("shared", entry("written by one", 60_000));
      Cluster.within(Duration.ofSeconds(2), "the entry is readable through another store",
          () -> two.get("shared") != null);
      assertThat(text(two.get("shared"))).isEqualTo("written by one");
    }
    assertThat(store.get("shared")).as("the same Redis, read through a third link").isNotNull();
  }
}
