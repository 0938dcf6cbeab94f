package dev.baton.redis;

import dev.baton.config.RedisConfig;
import dev.baton.config.Secret;
import dev.baton.testkit.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
    long start = System.nanoTime();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - start > bound.toNanos()) {
        throw new AssertionError("not within " + bound.toMillis() + " ms: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what);
      }
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** A clock the test moves by hand, shared by the instances: minutes of traffic pass in seconds. */
  static final class TestClock extends Clock {
    private volatile Instant now;

    TestClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
