package dev.baton.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.config.DatabaseConfig;
import dev.baton.config.LoggingConfig;
import dev.baton.store.KeyPlatform;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database-backed store keeps the same contract, and what it stores is in the database: another
 * platform opened on the same file (another instance, or this one after a restart) reads it.
 */
class DatabaseResponsesTest extends ResponseStoreContract {

  @TempDir
  Path dataDir;

  KeyPlatform platform;

  KeyPlatform openPlatform() {
    return KeyPlatform.open(new DatabaseConfig(null, null, null, dataDir), LoggingConfig.defaults(), List::of,
        Clock.systemUTC());
  }

  @Override
  protected ResponseStore newStore() {
    platform = openPlatform();
    return new DatabaseResponses(platform.responses());
  }

  @AfterEach
  void closePlatform() {
    platform.close();
  }

  @Test
  void eachOwnerIsKeptAsItWasAndTheMasterKeysResponsesHaveNoKey() {
    store.put(response("resp_key", "key_1", "{}"));
    store.put(response("resp_master", "master", "{}"));
    store.put(response("resp_open", "anonymous", "{}"));

    platform.responses().flush();

    assertThat(platform.store().response("resp_master", java.time.Instant.now()).orElseThrow().keyId()).isNull();
    assertThat(platform.store().response("resp_key", java.time.Instant.now()).orElseThrow().keyId()).isEqualTo("key_1");
    assertThat(store.get("resp_master").orElseThrow().owner()).isEqualTo("master");
    assertThat(store.get("resp_key").orElseThrow().owner()).isEqualTo("key_1");
    assertThat(store.get("resp_open").orElseThrow().owner()).isEqualTo("anonymous");
  }

  @Test
  void aResponseStoredHereIsReadByTheNextStartOnTheSameDatabase() {
    store.put(response("resp_kept", "key_1", "{\"response\":{\"id\":\"resp_kept\"}}"));
    platform.close(); // writes what is queued

    platform = openPlatform();
    ResponseStore again = new DatabaseResponses(platform.responses());

    assertThat(new String(again.get("resp_kept").orElseThrow().document(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("{\"response\":{\"id\":\"resp_kept\"}}");
  }
}
