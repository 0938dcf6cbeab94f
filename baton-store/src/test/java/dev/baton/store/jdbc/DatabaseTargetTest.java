package dev.baton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.config.DatabaseConfig;
import dev.baton.config.Secret;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatabaseTargetTest {

  private static final Path DIR = Path.of("/var/lib/baton");

  @Test
  void noUrlIsTheEmbeddedFileUnderDataDir() {
    DatabaseTarget t = DatabaseTarget.of(new DatabaseConfig(null, null, null, DIR));

    assertThat(t.kind()).isEqualTo(DatabaseTarget.Kind.SQLITE);
    assertThat(t.jdbcUrl()).isEqualTo("jdbc:sqlite:/var/lib/baton/baton.db");
  }

  @Test
  void aJdbcUrlIsUsedAsItIsWithTheConfiguredCredentials() {
    DatabaseTarget t = DatabaseTarget.of(new DatabaseConfig("jdbc:postgresql://db:5432/baton?sslmode=require",
        "baton", Secret.of("pw"), DIR));

    assertThat(t.kind()).isEqualTo(DatabaseTarget.Kind.POSTGRES);
    assertThat(t.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/baton?sslmode=require");
    assertThat(t.user()).isEqualTo("baton");
    assertThat(t.password()).isEqualTo("pw");
    assertThat(t.description()).isEqualTo("PostgreSQL db:5432/baton");
  }

  @Test
  void aPostgresUrlCarriesItsOwnPercentEncodedCredentials() {
    DatabaseTarget t = DatabaseTarget.of(new DatabaseConfig("postgres://app:p%40ss%3Aword@db.internal:6543/spend?sslmode=disable",
        null, null, DIR));

    assertThat(t.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/spend?sslmode=disable");
    assertThat(t.user()).isEqualTo("app");
    assertThat(t.password()).isEqualTo("p@ss:word");
    assertThat(t.description()).isEqualTo("PostgreSQL db.internal:6543/spend").doesNotContain("word");
  }

  @Test
  void settingsFillInWhatThePostgresUrlLeavesOut() {
    DatabaseTarget t = DatabaseTarget.of(new DatabaseConfig("postgresql://db/baton", "baton", Secret.of("pw"), DIR));

    assertThat(t.jdbcUrl()).isEqualTo("jdbc:postgresql://db/baton");
    assertThat(t.user()).isEqualTo("baton");
    assertThat(t.password()).isEqualTo("pw");
  }

  @Test
  void aPostgresUrlWithoutAHostIsRefusedWithoutItsPassword() {
    assertThatThrownBy(() -> DatabaseTarget.of(new DatabaseConfig("postgres:///baton", null, null, DIR)))
        .hasMessage("database.url: names no host: postgres:///baton");
  }
}
