package dev.baton.cache.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cache.CacheEntry;
import dev.baton.cache.CacheStore;
import dev.baton.cache.CacheStoreContract;
import dev.baton.testkit.ManualClock;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalCacheStoreTest extends CacheStoreContract {

  @Override
  protected CacheStore newStore() {
    return new LocalCacheStore(10_000, 64L * 1024 * 1024, Clock.systemUTC());
  }

  private static CacheEntry sized(int bytes, ManualClock clock) {
    long now = clock.millis();
    return new CacheEntry(new byte[bytes], now, now + 600_000);
  }

  @Test
  void keepsAtMostMaxEntriesOfSmallAnswers() {
    ManualClock clock = ManualClock.atNewYear();
    LocalCacheStore local = new LocalCacheStore(100, 64L * 1024 * 1024, clock);

    for (int i = 0; i < 1_000; i++) {
      local.put("k" + i, sized(10, clock));
    }

    assertThat(local.size()).isLessThanOrEqualTo(100).isGreaterThan(50);
  }

  @Test
  void keepsAtMostMaxBytesOfLargeAnswers() {
    ManualClock clock = ManualClock.atNewYear();
    LocalCacheStore local = new LocalCacheStore(10_000, 1024L * 1024, clock);

    for (int i = 0; i < 100; i++) {
      local.put("k" + i, sized(64 * 1024, clock));
    }

    assertThat(local.weight()).isLessThanOrEqualTo(1024L * 1024);
    assertThat(local.size()).as("1 MB holds at most 15 answers of 64 KB").isLessThanOrEqualTo(15).isGreaterThan(5);
  }

  @Test
  void anAnswerLargerThanTheWholeBudgetIsNotKept() {
    ManualClock clock = ManualClock.atNewYear();
    LocalCacheStore local = new LocalCacheStore(10, 1024L * 1024, clock);

    local.put("huge", sized(2 * 1024 * 1024, clock));

    assertThat(local.get("huge")).isNull();
  }

  @Test
  void expiresByTheClockItIsGiven() {
    ManualClock clock = ManualClock.atNewYear();
    LocalCacheStore local = new LocalCacheStore(10, 1024L * 1024, clock);
    long now = clock.millis();
    local.put("k", new CacheEntry(new byte[] {42}, now, now + 60_000));

    clock.advance(Duration.ofSeconds(59));
    assertThat(local.get("k")).as("a second before its expiry").isNotNull();
    clock.advance(Duration.ofSeconds(1));
    assertThat(local.get("k")).as("at its expiry").isNull();
  }
}
