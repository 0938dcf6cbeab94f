package dev.baton.store.admin;

import dev.baton.config.DatabaseConfig;
import dev.baton.store.Databases;
import java.nio.file.Path;

class PostgresAdminApiTest extends AdminApiContractTest {

  @Override
  DatabaseConfig freshDatabase(Path dir) {
    return Databases.freshPostgres(dir);
  }
}
