package dev.baton.server;

import dev.baton.testkit.PostgresServer;
import java.nio.file.Path;
import java.util.List;

/** Contract section 7 through the gateway on a real PostgreSQL (the machine's binaries, a fresh database per test). */
class PostgresVirtualKeysTest extends VirtualKeysContract {

  @Override
  String databaseYaml(Path dataDir) {
    PostgresServer server = PostgresServer.shared();
    return """
        database:
          url: %s
          user: postgres
          data_dir: %s
        """.formatted(server.jdbcUrl(server.createDatabase()), dataDir);
  }

  @Override
  List<Path> databaseFiles() {
    return List.of(PostgresServer.shared().dataDirectory());
  }
}
