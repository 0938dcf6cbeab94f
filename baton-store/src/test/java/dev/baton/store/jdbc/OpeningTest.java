package dev.baton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.baton.config.DatabaseConfig;
import dev.baton.config.Secret;
import dev.baton.store.DatabaseUnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configured database that cannot be reached at start is one clear line, not a stack trace. */
class OpeningTest {

  @TempDir
  Path dir;

  @Test
  void anUnreachablePostgresIsOneLineNamingItWithoutThePassword() throws IOException {
    int port = closedPort();
    DatabaseConfig config = new DatabaseConfig("postgres://baton:hunter2-secret@127.0.0.1:" + port + "/baton", null,
        Secret.of("other-secret"), dir);

    DatabaseUnavailableException e = catchThrowableOfType(DatabaseUnavailableException.class,
        () -> JdbcStore.open(config));

    assertThat(e.getMessage())
        .startsWith("database: cannot connect to PostgreSQL 127.0.0.1:" + port + "/baton: ")
        .contains("refused")
        .doesNotContain("hunter2-secret").doesNotContain("other-secret")
        .doesNotContain("\n");
  }

  @Test
  void anUnknownHostIsSaidSo() {
    DatabaseConfig config = new DatabaseConfig("jdbc:postgresql://no-such-host.invalid:5432/baton", "baton", null, dir);

    DatabaseUnavailableException e = catchThrowableOfType(DatabaseUnavailableException.class,
        () -> JdbcStore.open(config));

    assertThat(e.getMessage()).isEqualTo("database: cannot connect to PostgreSQL no-such-host.invalid:5432/baton: "
        + "unknown host no-such-host.invalid");
  }

  @Test
  void aDataDirThatCannotBeCreatedIsOneLine() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");

    DatabaseUnavailableException e = catchThrowableOfType(DatabaseUnavailableException.class,
        () -> JdbcStore.open(new DatabaseConfig(null, null, null, file.resolve("data"))));

    assertThat(e.getMessage()).startsWith("database: cannot create data_dir " + file.resolve("data")).doesNotContain("\n");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
