package dev.baton.server;

import java.nio.file.Path;
import java.util.List;

/** Contract section 7 through the gateway on the embedded database: a SQLite file under {@code data_dir}. */
class SqliteVirtualKeysTest extends VirtualKeysContract {

  @Override
  String databaseYaml(Path dataDir) {
    return """
        database:
          data_dir: %s
        """.formatted(dataDir);
  }

  @Override
  List<Path> databaseFiles() {
    return List.of(); // the SQLite file lives in data_dir
  }
}
