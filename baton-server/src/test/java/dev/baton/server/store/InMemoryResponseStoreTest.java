package dev.baton.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The memory store keeps the contract, and stays within its bounds by forgetting the oldest first. */
class InMemoryResponseStoreTest extends ResponseStoreContract {

  @Override
  protected ResponseStore newStore() {
    return new InMemoryResponseStore();
  }

  @Test
  void beyondItsCountTheOldestIsForgotten() {
    InMemoryResponseStore small = new InMemoryResponseStore(2, 1_000_000, Clock.systemUTC());

    small.put(response("resp_a", "master", "{}"));
    small.put(response("resp_b", "master", "{}"));
    small.put(response("resp_c", "master", "{}"));

    assertThat(small.get("resp_a")).isEmpty();
    assertThat(small.get("resp_b")).isPresent();
    assertThat(small.get("resp_c")).isPresent();
  }

  @Test
  void beyondItsBytesTheOldestAreForgotten() {
    InMemoryResponseStore small = new InMemoryResponseStore(100, 25, Clock.systemUTC());

    small.put(response("resp_a", "master", "{\"a\":\"0123456789\"}")); // 18 bytes
    small.put(response("resp_b", "master", "{\"b\":1}"));              //  7 bytes: 25 in all, still within
    small.put(response("resp_c", "master", "{\"c\":2}"));

    assertThat(small.get("resp_a")).isEmpty();
    assertThat(small.get("resp_b")).isPresent();
    assertThat(small.get("resp_c")).isPresent();
  }

  @Test
  void expiredResponsesAreForgottenAsNewOnesArrive() {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T00:00:00Z"));
    Clock clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
    InMemoryResponseStore store = new InMemoryResponseStore(100, 1_000_000, clock);
    Instant start = now.get();
    store.put(new StoredResponse("resp_old", "master", start, start.plus(Duration.ofHours(1)), new byte[2]));

    now.set(start.plus(Duration.ofHours(2)));
    store.put(new StoredResponse("resp_new", "master", now.get(), now.get().plus(Duration.ofHours(1)), new byte[2]));

    assertThat(store.size()).isEqualTo(1);
    assertThat(store.get("resp_new")).isPresent();
  }
}
