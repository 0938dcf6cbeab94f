package dev.baton.store.jdbc;

import dev.baton.config.DatabaseConfig;
import dev.baton.store.Databases;
import java.nio.file.Path;

/** The store contract on a real PostgreSQL server, started by the tests. */
class PostgresStoreTest extends StoreContractTest {

  @Override
  DatabaseConfig freshDatabase(Path dir) {
    return Databases.freshPostgres(dir);
  }
}
