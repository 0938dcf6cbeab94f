package dev.baton.store;

import dev.baton.config.DatabaseConfig;
import dev.baton.config.Secret;
import dev.baton.testkit.PostgresServer;
import java.nio.file.Path;

/** The two databases every contract suite runs on. */
public final class Databases {

  private Databases() {}

  /** The embedded database: a SQLite file under {@code dataDir}. */
  public static DatabaseConfig embedded(Path dataDir) {
    return new DatabaseConfig(null, null, null, dataDir);
  }

  /** A fresh database on the test JVM's shared PostgreSQL server; {@code dataDir} holds only the journal. */
  public static DatabaseConfig freshPostgres(Path dataDir) {
    return postgres(PostgresServer.shared(), dataDir);
  }

  /** A fresh database on a given server. */
  public static DatabaseConfig postgres(PostgresServer server, Path dataDir) {
    return new DatabaseConfig(server.jdbcUrl(server.createDatabase()), "postgres", Secret.of("unused"), dataDir);
  }
}
