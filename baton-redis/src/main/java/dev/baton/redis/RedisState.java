package dev.baton.redis;

import dev.baton.cache.CacheStore;
import dev.baton.config.RedisConfig;
import dev.baton.router.SharedRouterState;
import dev.baton.store.keys.VirtualKeys;
import dev.baton.store.limits.LimitCounters;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/** {@link SharedState} in Redis: one {@link RedisLink} under counters, circuits, key changes and the cache. */
final class RedisState implements SharedState {

  private final RedisLink link;
  private final RedisCounters counters;
  private final RedisRouterState router;
  private final RedisCacheStore cache;

  RedisState(RedisConfig config, Clock clock) {
    this.link = new RedisLink(Objects.requireNonNull(config.url(), "redis.url").reveal(), config.redactedUrl(), true);
    this.counters = new RedisCounters(link, clock);
    this.router = new RedisRouterState(link, counters);
    this.cache = new RedisCacheStore(link, false);
  }

  @Override
  public LimitCounters counters() {
    return counters;
  }

  @Override
  public SharedRouterState router() {
    return router;
  }

  @Override
  public void shareKeyChanges(VirtualKeys keys) {
    new KeyChanges(link, keys);
  }

  @Override
  public CacheStore cacheStore() {
    return cache;
  }

  @Override
  public Optional<Boolean> redisUp() {
    return Optional.of(link.up());
  }

  @Override
  public void requestStarts() {
    RedisLink.requestStarts();
  }

  RedisLink link() {
    return link;
  }

  @Override
  public void close() {
    counters.close();
    link.close();
  }
}
