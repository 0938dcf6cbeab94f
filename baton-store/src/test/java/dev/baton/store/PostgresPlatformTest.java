package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.config.DatabaseConfig;
import dev.baton.config.LoggingConfig;
import dev.baton.store.jdbc.JdbcStore;
import dev.baton.store.keys.Authentication;
import dev.baton.store.limits.Admission;
import dev.baton.store.limits.LocalCounters;
import dev.baton.testkit.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresPlatformTest extends PlatformContractTest {

  @Override
  DatabaseConfig freshDatabase(Path dir) {
    return Databases.freshPostgres(dir);
  }

  @Override
  List<Path> databaseFiles() {
    return List.of(PostgresServer.shared().dataDirectory());
  }

  @Test
  void withPostgresDataDirHoldsOnlyTheJournal() throws Exception {
    create("/admin/keys", "{\"name\": \"app\"}");
    platform.spendLog().flush();

    try (var files = Files.list(dataDir)) {
      assertThat(files.toList()).isEmpty();
    }
  }

  @Test
  void aKeyMadeOnOneInstanceWorksOnAnotherAndARevocationReachesItWhenInvalidated() throws Exception {
    KeyPlatform other = start(LoggingConfig.defaults());
    try {
      JsonNode key = create("/admin/keys", "{\"name\": \"app\"}");
      String secret = key.get("key").asText();

      assertThat(other.authenticate(secret)).as("looked up on first sight").isInstanceOf(Authentication.Accepted.class);
      platform.admin().handle("DELETE", "/admin/keys/" + key.get("id").asText(), null);
      assertThat(platform.authenticate(secret)).isInstanceOf(Authentication.Refused.class);
      assertThat(other.authenticate(secret)).as("still cached on the other instance")
          .isInstanceOf(Authentication.Accepted.class);
      other.keys().invalidateKey(key.get("id").asText()); // what a Redis pub/sub message will trigger
      assertThat(other.authenticate(secret)).isInstanceOf(Authentication.Refused.class);
    } finally {
      other.close();
    }
  }

  @Test
  void whileTheDatabaseIsDownKeysStillWorkAndRowsWaitForItAcrossARestart() throws Exception {
    PostgresServer own = PostgresServer.start();
    try {
      platform.close();
      config = Databases.postgres(own, dataDir);
      platform = start(LoggingConfig.defaults());
      String secret = create("/admin/keys", "{\"name\": \"app\", \"max_budget_usd\": 1}").get("key").asText();
      answered(secret, 0.5);
      platform.spendLog().flush();

      own.kill();
      answered(secret, 0.25);
      answered(secret, 0.25);
      Eventually.within(Duration.ofSeconds(10), "database: down", () -> !platform.databaseUp());
      assertThat(platform.admit(accepted(secret), "smart")).as("the budget is enforced from memory")
          .isInstanceOf(Admission.Refused.class);
      assertThat(platform.admin().handle("GET", "/admin/keys", null).status()).isEqualTo(503);
      platform.close(Duration.ofSeconds(8));
      assertThatThrownBy(() -> JdbcStore.open(config)).isInstanceOf(DatabaseUnavailableException.class);
      assertThat(Files.exists(dataDir.resolve(KeyPlatform.JOURNAL_FILE))).isTrue();

      own.restart();
      platform = start(LoggingConfig.defaults());

      assertThat(platform.store().spendOf(accepted(secret).keyId(), false, java.time.Instant.EPOCH)).isEqualTo(1.0);
      assertThat(platform.admit(accepted(secret), "smart")).as("seeded with the journaled spend")
          .isInstanceOf(Admission.Refused.class);
      assertThat(Files.exists(dataDir.resolve(KeyPlatform.JOURNAL_FILE))).isFalse();
    } finally {
      platform.close();
      own.close();
      config = Databases.freshPostgres(dataDir);
      platform = KeyPlatform.open(JdbcStore.open(config), dataDir, LoggingConfig.defaults(), List::of, clock,
          new LocalCounters(), Duration.ofMillis(200));
    }
  }
}
