package dev.baton.redis;

import dev.baton.cache.CacheStore;
import dev.baton.config.RedisConfig;
import dev.baton.router.SharedRouterState;
import dev.baton.store.keys.VirtualKeys;
import dev.baton.store.limits.LimitCounters;
import dev.baton.store.limits.LocalCounters;
import java.time.Clock;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one gateway instance shares with the others (contract section 8), built from the {@code redis:}
 * section: without a url, {@link #local()} — today's in-memory state, the instance alone; with one, the
 * Redis implementation. The gateway hands out its parts: the {@link #counters()} to the key platform
 * (rate windows and budget spend), the {@link #router()} state to the router (circuits, deployments'
 * windows), its key changes to {@link #shareKeyChanges}, the {@link #cacheStore()} to the response cache,
 * and {@link #redisUp()} to {@code /health}.
 *
 * <p>{@code baton serve} does it this way; {@code Gateway.start} hands the router state, the key changes, the
 * cache store and the health to their users, and closes the shared state when the gateway stops:
 *
 * <pre>{@code
 * SharedState shared = SharedState.from(config.redis(), clock);
 * KeyPlatform keys = KeyPlatform.open(config.database(), config.logging(), config::modelNames, clock,
 *     shared.counters());
 * Gateway gateway = Gateway.start(config, environment, List.of(), keys, shared);
 * }</pre>
 */
public interface SharedState extends AutoCloseable {

  /** The state of the {@code redis:} section: Redis when a url is set, else this instance alone. */
  static SharedState from(RedisConfig config, Clock clock) {
    return config.enabled() ? new RedisState(config, clock) : local();
  }

  /** Nothing shared: every count, circuit and key in this instance's memory. */
  static SharedState local() {
    return new SharedState() {
      private final LimitCounters counters = new LocalCounters();

      @Override
      public LimitCounters counters() {
        return counters;
      }

      @Override
      public SharedRouterState router() {
        return SharedRouterState.NONE;
      }

      @Override
      public void shareKeyChanges(VirtualKeys keys) {}

      @Override
      public @Nullable CacheStore cacheStore() {
        return null;
      }

      @Override
      public Optional<Boolean> redisUp() {
        return Optional.empty();
      }

      @Override
      public void close() {}
    };
  }

  /** Rate windows and budget spend of keys and teams, for {@code KeyPlatform.open}. */
  LimitCounters counters();

  /** Circuits and deployments' rpm/tpm windows, for {@code Baton.builder().sharedState(...)}. */
  SharedRouterState router();

  /** Announces this instance's key and team changes to the others, and applies theirs. */
  void shareKeyChanges(VirtualKeys keys);

  /** The response cache's store shared by every instance, or null when nothing is shared. */
  @Nullable CacheStore cacheStore();

  /** Whether Redis answers now; empty when no Redis is configured. */
  Optional<Boolean> redisUp();

  /**
   * A request starts on this thread: from here, every call it makes to Redis on its path shares one short
   * budget (contract section 8: at most 50 ms in all). A gateway calls it as each request arrives.
   */
  default void requestStarts() {}

  @Override
  void close();
}
