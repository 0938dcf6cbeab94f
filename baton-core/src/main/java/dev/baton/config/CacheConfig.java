package dev.baton.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The response cache (contract section 9): the {@code cache:} section, or {@code Baton.builder().cache(...)}.
 * Build one in code with {@link #builder()}; every setting has a default but the store's type.
 *
 * @param type where entries live: {@code local} (this process, bounded by {@code maxEntries} and
 *     {@code maxBytes}) or {@code redis} (shared by every instance; needs {@code redis.url})
 * @param ttl how long an entry is served after it is stored
 * @param maxEntries the most entries a local store keeps (and the semantic index, whatever the store)
 * @param maxBytes the most bytes a local store's entries take together
 * @param scope whose requests may share an entry
 * @param models the public model names the cache covers; null: every model
 * @param semantic the semantic cache, or null for exact matches only
 */
public record CacheConfig(String type, Duration ttl, long maxEntries, long maxBytes, Scope scope,
    @Nullable List<String> models, @Nullable Semantic semantic) {

  public static final String LOCAL = "local";
  public static final String REDIS = "redis";
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
  public static final long DEFAULT_MAX_ENTRIES = 10_000;
  public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;

  /** Whose requests may share an entry. */
  public enum Scope {
    /** A team's keys share; a key without a team is a scope of its own; the master key is one scope. */
    TEAM,
    /** Each key (the master key included) has its own entries. */
    KEY,
    /** Everyone shares. */
    GLOBAL;

    /** The name the configuration uses: {@code team}, {@code key} or {@code global}. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The part of the cache a caller's requests use.
     *
     * @param caller who calls: a virtual key's id, or the gateway's name for a caller without one, such as
     *     {@code master} (so every request made with the master key shares one part)
     * @param team the team of the caller's key, or null when it has none
     */
    public String partition(String caller, @Nullable String team) {
      return switch (this) {
        case GLOBAL -> "";
        case KEY -> "key:" + caller;
        case TEAM -> team != null ? "team:" + team : "key:" + caller;
      };
    }

    /** The scope a configuration names, or null if it names none. */
    public static @Nullable Scope named(String name) {
      for (Scope s : values()) {
        if (s.configName().equals(name)) {
          return s;
        }
      }
      return null;
    }
  }

  /**
   * The semantic cache: a request whose last user message is close enough in meaning to a cached one's,
   * all else equal, is answered with that entry.
   *
   * @param embeddingModel a public embedding model name, or a {@code provider/model} string such as
   *     {@code onnx/all-minilm-l6-v2} served for the cache alone
   * @param threshold the least cosine similarity of the two messages' embeddings, in (0, 1]
   */
  public record Semantic(String embeddingModel, double threshold) {
    public Semantic {
      Objects.requireNonNull(embeddingModel, "embeddingModel");
    }
  }

  public CacheConfig {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(scope, "scope");
    models = models == null ? null : List.copyOf(models);
  }

  /** A local cache with the defaults: ten minutes, 10,000 entries, 256 MB, scoped by team, every model. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether requests for this public model name use the cache. */
  public boolean covers(String model) {
    return models == null || models.contains(model);
  }

  /** Builds a {@link CacheConfig}; {@link ConfigValidator} checks the values when a Baton is built. */
  public static final class Builder {
    private String type = LOCAL;
    private Duration ttl = DEFAULT_TTL;
    private long maxEntries = DEFAULT_MAX_ENTRIES;
    private long maxBytes = DEFAULT_MAX_BYTES;
    private Scope scope = Scope.TEAM;
    private @Nullable List<String> models;
    private @Nullable Semantic semantic;

    private Builder() {}

    /** {@code local} (the default) or {@code redis}. */
    public Builder type(String type) {
      this.type = Objects.requireNonNull(type, "type");
      return this;
    }

    public Builder ttl(Duration ttl) {
      this.ttl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    public Builder maxEntries(long maxEntries) {
      this.maxEntries = maxEntries;
      return this;
    }

    public Builder maxBytes(long maxBytes) {
      this.maxBytes = maxBytes;
      return this;
    }

    public Builder scope(Scope scope) {
      this.scope = Objects.requireNonNull(scope, "scope");
      return this;
    }

    /** Only these public model names use the cache. */
    public Builder models(String... models) {
      this.models = List.of(models);
      return this;
    }

    /** Also answers requests whose last user message means nearly the same as a cached one's. */
    public Builder semantic(String embeddingModel, double threshold) {
      this.semantic = new Semantic(embeddingModel, threshold);
      return this;
    }

    public CacheConfig build() {
      return new CacheConfig(type, ttl, maxEntries, maxBytes, scope, models, semantic);
    }
  }
}
