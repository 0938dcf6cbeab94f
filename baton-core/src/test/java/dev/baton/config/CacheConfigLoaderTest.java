package dev.baton.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheConfigLoaderTest {

  private static final String MODELS = """
      models:
        - name: smart
          provider: mock
          model: m
        - name: emb
          provider: mock
          model: e
      """;

  private static BatonConfig parse(String yaml) {
    return ConfigLoader.parse(MODELS + yaml, "baton.yaml", Environment.of(Map.of()));
  }

  @Test
  void theContractsExampleIsMapped() {
    BatonConfig config = parse("""
        cache:
          type: local
          ttl: 10m
          max_entries: 10000
          scope: team
          models: [smart]
          semantic:
            embedding_model: emb
            threshold: 0.95
        """);

    CacheConfig cache = config.cache();
    assertThat(cache).isNotNull();
    assertThat(cache.type()).isEqualTo("local");
    assertThat(cache.ttl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(cache.maxEntries()).isEqualTo(10_000);
    assertThat(cache.maxBytes()).isEqualTo(CacheConfig.DEFAULT_MAX_BYTES);
    assertThat(cache.scope()).isEqualTo(CacheConfig.Scope.TEAM);
    assertThat(cache.models()).containsExactly("smart");
    assertThat(cache.semantic()).isEqualTo(new CacheConfig.Semantic("emb", 0.95));
    assertThat(cache.covers("smart")).isTrue();
    assertThat(cache.covers("emb")).isFalse();
  }

  @Test
  void noSectionIsNoCacheAndAnEmptyOneIsTheDefaults() {
    assertThat(parse("").cache()).isNull();

    CacheConfig defaults = parse("cache:\n  type: local\n").cache();
    assertThat(defaults.ttl()).isEqualTo(CacheConfig.DEFAULT_TTL);
    assertThat(defaults.scope()).isEqualTo(CacheConfig.Scope.TEAM);
    assertThat(defaults.models()).isNull();
    assertThat(defaults.semantic()).isNull();
    assertThat(parse("cache:\n  max_bytes: 64MB\n").cache().maxBytes()).isEqualTo(64L * 1024 * 1024);
  }

  @Test
  void aRedisCacheNeedsRedisUrl() {
    assertThatThrownBy(() -> parse("cache:\n  type: redis\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("baton.yaml:")
        .hasMessageContaining("cache.type: a redis cache needs redis.url");

    BatonConfig config = parse("redis:\n  url: redis://:pw@cache.internal:6379/0\ncache:\n  type: redis\n");
    assertThat(config.cache().type()).isEqualTo("redis");
    assertThat(config.redis().configured()).isTrue();
    assertThat(config.redis().toString()).doesNotContain("pw");
  }

  @Test
  void badValuesAreNamedWithTheirLines() {
    ConfigException e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> parse("""
        cache:
          type: memcached
          ttl: 0s
          max_entries: 0
          models: [smart, nope]
          semantic:
            embedding_model: missing
            threshold: 1.5
        """));

    List<String> problems = e.problems();
    assertThat(String.join("\n", problems))
        .contains("cache.type: expected local or redis, was 'memcached'")
        .contains("cache.ttl: must be longer than zero")
        .contains("cache.max_entries: must be >= 1, was 0")
        .contains("cache.models[1]: 'nope' is not a model defined in models")
        .contains("cache.semantic.embedding_model: 'missing' is neither a model defined in models")
        .contains("cache.semantic.threshold: must be a cosine similarity above 0 and at most 1, was 1.5");
  }

  @Test
  void anUnknownScopeIsNamed() {
    assertThatThrownBy(() -> parse("cache:\n  scope: tenant\n"))
        .hasMessageContaining("baton.yaml:9: cache.scope: expected team, key or global, was 'tenant'");
  }

  @Test
  void anUnknownKeyIsNamed() {
    assertThatThrownBy(() -> parse("cache:\n  tll: 5m\n"))
        .hasMessageContaining("cache.tll: unknown key 'tll'; did you mean 'ttl'?");
    assertThatThrownBy(() -> parse("cache:\n  semantic:\n    embedding_model: emb\n"))
        .hasMessageContaining("cache.semantic: 'threshold' is required");
  }

  @Test
  void aProviderStringServesAsTheEmbeddingModel() {
    BatonConfig config = parse("cache:\n  semantic:\n    embedding_model: mock/embedder\n    threshold: 0.9\n");

    assertThat(config.cache().semantic().embeddingModel()).isEqualTo("mock/embedder");
  }
}
