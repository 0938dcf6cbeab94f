package dev.baton.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Baton;
import dev.baton.ChatResponse;
import dev.baton.cache.CacheStatus;
import dev.baton.testkit.Eventually;
import dev.baton.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cache: type: redis} in the SDK: two Batons made from one configuration file, in place of two
 * applications, share their answers through Redis ({@link RedisCacheStoreFactory}); each one's store closes
 * with it.
 */
class SdkRedisCacheTest {

  private final RedisServer redis = RedisServer.start();

  @AfterEach
  void stop() {
    redis.close();
  }

  @Test
  void twoBatonsFromOneConfigurationShareTheirCachedAnswers(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("baton.yaml");
    Files.writeString(config, """
        redis:
          url: %s
        models:
          - {name: smart, provider: mock, model: smart-1}
        cache:
          type: redis
          ttl: 10m
        """.formatted(redis.url()));

    try (Baton one = Baton.fromConfig(config); Baton two = Baton.fromConfig(config)) {
      ChatResponse first = one.chat("Which cache do we share?");
      assertThat(first.cache()).isEqualTo(CacheStatus.MISS);

      RedisClient client = RedisClient.create(redis.url());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        Eventually.within(Duration.ofSeconds(2), "the first Baton's answer is in Redis",
            () -> connection.sync().keys("baton:cache:*").size() == 1);
      } finally {
        client.shutdown();
      }

      ChatResponse fromTwo = two.chat("Which cache do we share?");
      assertThat(fromTwo.cache()).as("the second Baton's first request").isEqualTo(CacheStatus.HIT);
      assertThat(fromTwo.text()).isEqualTo(first.text());
      assertThat(fromTwo.attempts()).as("a hit makes no upstream call").isEmpty();
    }
  }
}
