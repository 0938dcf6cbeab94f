package dev.baton.redis;

import dev.baton.config.RedisConfig;
import dev.baton.config.Secret;
import dev.baton.testkit.Eventually;
import dev.baton.testkit.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Several instances' shared state over one real Redis, and the helpers their tests share. */
final class Cluster implements AutoCloseable {

  final RedisServer redis;
  final List<RedisState> instances = new ArrayList<>();

  Cluster(int size, Clock clock) {
    redis = RedisServer.start();
    for (int i = 0; i < size; i++) {
      instances.add((RedisState) SharedState.from(new RedisConfig(Secret.of(redis.url())), clock));
    }
    within(Duration.ofSeconds(5), "every instance sees " + size + " instances",
        () -> instances.stream().allMatch(s -> s.link().instances() == size));
  }

  RedisState get(int i) {
    return instances.get(i);
  }

  void awaitUp() {
    within(Duration.ofSeconds(10), "every instance reconnects", () -> instances.stream().allMatch(s -> s.link().usable()));
  }

  void awaitDown() {
    within(Duration.ofSeconds(5), "every instance notices Redis is away",
        () -> instances.stream().noneMatch(s -> s.link().up()));
  }

  /** What Redis itself holds in a scope's request window now. */
  long windowInRedis(String scope) {
    try {
      return get(0).link().commands().hvals("baton:{" + scope + "}:requests").get().stream()
          .mapToLong(Long::parseLong).sum();
    } catch (Exception e) {
      return -1;
    }
  }

  @Override
  public void close() {
    instances.forEach(RedisState::close);
    redis.close();
  }

  /** How long it took; fails with {@code what} if {@code condition} is not true within {@code bound}. */
  static Duration within(Duration bound, String what, BooleanSupplier condition) {
    return Eventually.within(bound, what, condition);
  }
}
