package dev.baton.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CacheStore} does, whatever keeps its entries: a store's test extends this class and says
 * how to make one ({@link #newStore()}). Time here is real time, which every store — Redis's expiry
 * included — follows.
 */
public abstract class CacheStoreContract {

  protected CacheStore store;

  /** A new, empty store on the system clock. */
  protected abstract CacheStore newStore();

  @BeforeEach
  void open() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  protected static CacheEntry entry(String value, long ttlMillis) {
    long now = System.currentTimeMillis();
    return new CacheEntry(value.getBytes(StandardCharsets.UTF_8), now, now + ttlMillis);
  }

  protected static String text(CacheEntry entry) {
    return new String(entry.value(), StandardCharsets.UTF_8);
  }

  @Test
  void givesBackWhatWasPutWithItsTimes() {
    CacheEntry put = entry("{\"answer\":\"Paris\"}", 60_000);

    store.put("k1", put);

    CacheEntry got = store.get("k1");
    assertThat(got).as("the entry just put").isNotNull();
    assertThat(text(got)).isEqualTo("{\"answer\":\"Paris\"}");
    assertThat(got.createdAtMillis()).isEqualTo(put.createdAtMillis());
    assertThat(got.expiresAtMillis()).isEqualTo(put.expiresAtMillis());
  }

  @Test
  void aKeyNeverPutIsAMiss() {
    store.put("k1", entry("one", 60_000));

    assertThat(store.get("k2")).isNull();
  }

  @Test
  void aSecondPutReplacesTheFirst() {
    store.put("k1", entry("old", 60_000));
    store.put("k1", entry("new", 60_000));

    assertThat(text(store.get("k1"))).isEqualTo("new");
  }

  @Test
  void anEntryIsGoneOnceItExpired() throws InterruptedException {
    store.put("short", entry("soon gone", 300));
    store.put("long", entry("stays", 60_000));
    assertThat(store.get("short")).as("before its expiry").isNotNull();

    Thread.sleep(700);

    assertThat(store.get("short")).as("after its expiry").isNull();
    assertThat(store.get("long")).as("an entry with time left").isNotNull();
  }

  @Test
  void anEntryAlreadyExpiredIsNotKept() {
    long now = System.currentTimeMillis();
    store.put("past", new CacheEntry(new byte[] {1}, now - 10_000, now - 5_000));

    assertThat(store.get("past")).isNull();
  }

  @Test
  void keepsBinaryValuesByteForByte() {
    byte[] value = new byte[256 * 1024];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) (i * 31 + 7);
    }
    long now = System.currentTimeMillis();

    store.put("binary", new CacheEntry(value, now, now + 60_000));

    assertThat(store.get("binary").value()).isEqualTo(value);
  }

  @Test
  void servesManyCallersAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        work.add(pool.submit(() -> {
          for (int i = 0; i < 200; i++) {
            String key = "t" + thread + "-" + i;
            store.put(key, entry(key, 60_000));
            CacheEntry got = store.get(key);
            assertThat(got).as(key).isNotNull();
            assertThat(text(got)).isEqualTo(key);
          }
        }));
      }
      for (Future<?> f : work) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
