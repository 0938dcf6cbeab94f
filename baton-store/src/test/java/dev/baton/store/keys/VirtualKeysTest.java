package dev.baton.store.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.store.ApiKey;
import dev.baton.store.Databases;
import dev.baton.store.FlakyStore;
import dev.baton.store.Limits;
import dev.baton.store.jdbc.JdbcStore;
import dev.baton.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VirtualKeysTest {

  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  @TempDir
  Path dir;

  JdbcStore real;
  FlakyStore store;
  final AtomicBoolean databaseUp = new AtomicBoolean(true);
  VirtualKeys keys;

  @BeforeEach
  void open() {
    real = JdbcStore.open(Databases.embedded(dir));
    store = new FlakyStore(real);
    keys = new VirtualKeys(store, new ManualClock(NOW), databaseUp::get);
  }

  @AfterEach
  void close() {
    real.close();
  }

  @Test
  void secretsAreLongRandomAndPrefixed() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String s = Secrets.newSecret();
      assertThat(s).matches("sk-baton-[0-9A-Za-z]{32}");
      assertThat(seen.add(s)).isTrue();
    }
    assertThat(32 * Math.log(62) / Math.log(2)).as("bits of randomness").isGreaterThan(128);
    assertThat(Secrets.displayPrefix("sk-baton-Ab3xRest")).isEqualTo("sk-baton-Ab3x");
    assertThat(Secrets.hash("sk-baton-a")).hasSize(64).isNotEqualTo(Secrets.hash("sk-baton-b"));
  }

  @Test
  void aKeyMadeElsewhereIsFoundInTheDatabaseOnFirstSightAndThenHeld() {
    real.insertKey(key("key_1", "sk-baton-one"));

    assertThat(keys.authenticate("sk-baton-one")).isInstanceOf(Authentication.Accepted.class);
    store.goDown();
    assertThat(keys.authenticate("sk-baton-one")).as("held in memory").isInstanceOf(Authentication.Accepted.class);
  }

  @Test
  void anUnknownKeyIsNotLookedUpWhileTheDatabaseIsDown() {
    real.insertKey(key("key_1", "sk-baton-one"));
    databaseUp.set(false);
    store.goDown();

    Authentication a = keys.authenticate("sk-baton-one");

    assertThat(a).isInstanceOf(Authentication.Refused.class);
    assertThat(((Authentication.Refused) a).refusal().message())
        .isEqualTo("Invalid API key: this key does not exist or was revoked.");
  }

  @Test
  void anUnknownKeyIsAskedOfTheDatabaseOnceAWhile() {
    assertThat(keys.authenticate("sk-baton-nope")).isInstanceOf(Authentication.Refused.class);
    real.insertKey(key("key_1", "sk-baton-nope"));

    assertThat(keys.authenticate("sk-baton-nope")).as("the miss is remembered for a few seconds")
        .isInstanceOf(Authentication.Refused.class);
    keys.refresh();
    assertThat(keys.authenticate("sk-baton-nope")).as("a reload forgets it").isInstanceOf(Authentication.Accepted.class);
  }

  @Test
  void aRefreshThatReadTheDatabaseBeforeALocalChangeDoesNotUndoIt() {
    real.insertKey(key("key_1", "sk-baton-one"));
    keys.loadAll();
    ApiKey madeMeanwhile = key("key_2", "sk-baton-two");
    store.whenKeysAreRead(() -> keys.put(madeMeanwhile)); // an admin call lands while the refresh reads

    boolean refreshed = keys.refresh();

    assertThat(refreshed).as("the refresh gives way to the change").isFalse();
    assertThat(keys.authenticate("sk-baton-two")).isInstanceOf(Authentication.Accepted.class);
  }

  @Test
  void listenersHearOfLocalChanges() {
    Set<String> heard = new HashSet<>();
    keys.addListener(new VirtualKeys.Listener() {
      @Override
      public void keyChanged(String keyId) {
        heard.add("key " + keyId);
      }

      @Override
      public void teamChanged(String teamId) {
        heard.add("team " + teamId);
      }
    });

    keys.put(key("key_1", "sk-baton-one"));
    keys.remove("key_1");
    keys.removeTeam("team_1", java.util.List.of());

    assertThat(heard).containsExactlyInAnyOrder("key key_1", "team team_1");
  }

  static ApiKey key(String id, String secret) {
    return new ApiKey(id, "app", Secrets.hash(secret), Secrets.displayPrefix(secret), null, Limits.NONE, Map.of(), false,
        null, NOW, NOW, null);
  }
}
