package dev.baton.store.admin;

import dev.baton.config.DatabaseConfig;
import dev.baton.store.Databases;
import java.nio.file.Path;

class SqliteAdminApiTest extends AdminApiContractTest {

  @Override
  DatabaseConfig freshDatabase(Path dir) {
    return Databases.embedded(dir);
  }
}
