package dev.baton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.config.DatabaseConfig;
import dev.baton.store.Databases;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The store contract on the embedded SQLite file. */
class SqliteStoreTest extends StoreContractTest {

  @Override
  DatabaseConfig freshDatabase(Path dir) {
    return Databases.embedded(dir.resolve("data"));
  }

  @Test
  void theEmbeddedDatabaseIsOneFileUnderDataDirCreatedWhenMissing() {
    assertThat(Files.isRegularFile(dataDir.resolve("data/baton.db"))).isTrue();
    assertThat(store.describe()).isEqualTo("SQLite " + dataDir.resolve("data/baton.db").toAbsolutePath());
  }
}
