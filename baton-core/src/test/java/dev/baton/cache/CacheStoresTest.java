package dev.baton.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.Baton;
import dev.baton.ConfigException;
import dev.baton.config.CacheConfig;
import org.junit.jupiter.api.Test;

/** baton-core alone has no store: asking for one names the artifact that brings it. */
class CacheStoresTest {

  @Test
  void aLocalCacheWithoutBatonCacheOnTheClasspathNamesIt() {
    assertThatThrownBy(() -> Baton.builder().models("mock/m").cache(CacheConfig.builder().build()).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cache.type: a local cache needs dev.baton:baton-cache on the classpath");
  }

  @Test
  void aRedisCacheNeedsItsUrlFirst() {
    assertThatThrownBy(() -> Baton.builder().models("mock/m").cache(CacheConfig.builder().type("redis").build())
        .build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cache.type: a redis cache needs redis.url");
  }

  @Test
  void aStoreOfTheCallersOwnNeedsNoModule() {
    CacheStore none = new CacheStore() {
      @Override
      public CacheEntry get(String key) {
        return null;
      }

      @Override
      public void put(String key, CacheEntry entry) {}
    };

    try (Baton baton = Baton.builder().models("mock/m").cache(CacheConfig.builder().build(), none).build()) {
      assertThat(baton.cacheConfig()).isNotNull();
    }
  }

  @Test
  void theContractsTypesAreAlwaysKnown() {
    assertThat(CacheStores.types()).contains("local", "redis");
  }
}
