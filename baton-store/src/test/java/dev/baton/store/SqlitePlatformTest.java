package dev.baton.store;

import dev.baton.config.DatabaseConfig;
import java.nio.file.Path;
import java.util.List;

class SqlitePlatformTest extends PlatformContractTest {

  @Override
  DatabaseConfig freshDatabase(Path dir) {
    return Databases.embedded(dir);
  }

  @Override
  List<Path> databaseFiles() {
    return List.of(); // the SQLite file and its WAL live in data_dir
  }
}
