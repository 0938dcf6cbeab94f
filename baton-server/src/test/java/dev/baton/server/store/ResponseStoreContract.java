package dev.baton.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ResponseStore} does, whatever keeps the documents: each implementation's test extends
 * this class and says how to make one (the memory store now, the database-backed one next).
 */
public abstract class ResponseStoreContract {

  protected ResponseStore store;

  /** A new, empty store. */
  protected abstract ResponseStore newStore();

  @BeforeEach
  void open() {
    store = newStore();
  }

  @AfterEach
  void close() {
    store.close();
  }

  protected static StoredResponse response(String id, String owner, String json) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return new StoredResponse(id, owner, now, now.plus(Duration.ofDays(30)), json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void returnsWhatWasStoredWithItsOwnerAndTimes() {
    StoredResponse stored = response("resp_1", "key_7", "{\"response\":{\"id\":\"resp_1\"}}");

    store.put(stored);

    StoredResponse read = store.get("resp_1").orElseThrow();
    assertThat(read.owner()).isEqualTo("key_7");
    assertThat(read.createdAt()).isEqualTo(stored.createdAt());
    assertThat(read.expiresAt()).isEqualTo(stored.expiresAt());
    assertThat(new String(read.document(), StandardCharsets.UTF_8)).isEqualTo("{\"response\":{\"id\":\"resp_1\"}}");
  }

  @Test
  void anUnknownIdIsEmpty() {
    assertThat(store.get("resp_unknown")).isEmpty();
  }

  @Test
  void aDeletedResponseIsGoneAndDeletingItAgainSaysSo() {
    store.put(response("resp_2", "master", "{}"));

    assertThat(store.delete("resp_2")).isTrue();
    assertThat(store.get("resp_2")).isEmpty();
    assertThat(store.delete("resp_2")).isFalse();
  }

  @Test
  void storingAnIdAgainReplacesIt() {
    store.put(response("resp_3", "master", "{\"v\":1}"));
    store.put(response("resp_3", "master", "{\"v\":2}"));

    assertThat(new String(store.get("resp_3").orElseThrow().document(), StandardCharsets.UTF_8)).isEqualTo("{\"v\":2}");
  }

  @Test
  void anExpiredResponseIsGone() {
    Instant past = Instant.now().minus(Duration.ofDays(31)).truncatedTo(ChronoUnit.MILLIS);
    store.put(new StoredResponse("resp_4", "master", past, past.plus(Duration.ofDays(30)), new byte[] {'{', '}'}));

    assertThat(store.get("resp_4")).isEmpty();
    assertThat(store.delete("resp_4")).as("an expired response is unknown").isFalse();
  }
}
