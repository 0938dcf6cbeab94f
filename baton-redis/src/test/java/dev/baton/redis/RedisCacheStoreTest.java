package dev.baton.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cache.CacheEntry;
import dev.baton.cache.CacheStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The response cache's entries in a real Redis, shared by instances; a miss, never a wait, without it. */
class RedisCacheStoreTest {

  private Cluster cluster;

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static CacheEntry entry(String text, Duration ttl) {
    long now = System.currentTimeMillis();
    return new CacheEntry(text.getBytes(StandardCharsets.UTF_8), now, now + ttl.toMillis());
  }

  @Test
  void anEntryStoredThroughOneInstanceIsReadThroughAnotherWithItsTimes() {
    cluster = new Cluster(2, Clock.systemUTC());
    CacheStore one = cluster.get(0).cacheStore();
    CacheStore two = cluster.get(1).cacheStore();
    CacheEntry stored = entry("{\"answer\":\"cached\"}", Duration.ofMinutes(10));
    one.put("scope:team_a:model:smart:8f3a", stored);
    CacheEntry[] read = new CacheEntry[1];
    Cluster.within(Duration.ofSeconds(2), "the entry is readable through the other instance",
        () -> (read[0] = two.get("scope:team_a:model:smart:8f3a")) != null);
    assertThat(new String(read[0].value(), StandardCharsets.UTF_8)).isEqualTo("{\"answer\":\"cached\"}");
    assertThat(read[0].createdAtMillis()).isEqualTo(stored.createdAtMillis());
    assertThat(read[0].expiresAtMillis()).isEqualTo(stored.expiresAtMillis());
    assertThat(two.get("scope:team_b:model:smart:8f3a")).as("another key").isNull();
  }

  @Test
  void anEntryExpiresWhenItsTimeIsUp() {
    cluster = new Cluster(1, Clock.systemUTC());
    CacheStore store = cluster.get(0).cacheStore();
    store.put("short", entry("soon gone", Duration.ofMillis(300)));
    Cluster.within(Duration.ofSeconds(2), "the entry is there", () -> store.get("short") != null);
    Cluster.within(Duration.ofSeconds(2), "the entry expired", () -> store.get("short") == null);
    store.put("already", new CacheEntry(new byte[] {1}, 0, 1));
    assertThat(store.get("already")).as("an entry stored after its expiry").isNull();
  }

  @Test
  void redisKilledOrHungEveryLookupIsAMissWithoutWaiting() {
    cluster = new Cluster(1, Clock.systemUTC());
    CacheStore store = cluster.get(0).cacheStore();
    store.put("k", entry("v", Duration.ofMinutes(1)));
    Cluster.within(Duration.ofSeconds(2), "stored", () -> store.get("k") != null);

    cluster.redis.freeze();
    try {
      long slowest = 0;
      for (int n = 0; n < 50; n++) {
        CacheEntry toStore = entry("v", Duration.ofMinutes(1));
        long start = System.nanoTime();
        CacheEntry found = store.get("k");
        store.put("k" + n, toStore);
        slowest = Math.max(slowest, System.nanoTime() - start);
        assertThat(found).as("a lookup while Redis hangs").isNull();
      }
      assertThat(Duration.ofNanos(slowest)).as("the longest lookup and store while Redis hangs")
          .isLessThanOrEqualTo(Duration.ofMillis(50));
    } finally {
      cluster.redis.thaw();
    }
    cluster.awaitUp();
    assertThat(store.get("k")).as("the entry once Redis answers again").isNotNull();

    cluster.redis.kill();
    cluster.awaitDown();
    assertThat(store.get("k")).as("a lookup while Redis is dead").isNull();
    store.put("k", entry("v", Duration.ofMinutes(1)));
    cluster.redis.restart();
    cluster.awaitUp();
    store.put("k", entry("again", Duration.ofMinutes(1)));
    Cluster.within(Duration.ofSeconds(2), "stored again after the restart", () -> store.get("k") != null);
  }
}
