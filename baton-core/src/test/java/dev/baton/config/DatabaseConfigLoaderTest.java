package dev.baton.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.baton.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code database:} and {@code logging:} sections (contract section 7). */
class DatabaseConfigLoaderTest {

  private static final Environment NO_VARIABLES = Environment.of(Map.of());
  private static final String ONE_MODEL = """
      models:
        - name: a
          provider: mock
          model: m
      """;

  @TempDir
  Path folder;

  @Test
  void withoutADatabaseSectionTheEmbeddedOneLivesBesideTheConfigFile() throws Exception {
    Path file = write(ONE_MODEL);

    BatonConfig config = ConfigLoader.load(file, NO_VARIABLES);

    assertThat(config.database().embedded()).isTrue();
    assertThat(config.database().dataDir()).isEqualTo(folder.toAbsolutePath().resolve("baton-data"));
    assertThat(config.logging().storeContent()).isFalse();
  }

  @Test
  void dataDirIsRelativeToTheConfigFilesFolderNotTheWorkingDirectory() throws Exception {
    Path file = write(ONE_MODEL + "database:\n  data_dir: ./state/db\n");

    BatonConfig config = ConfigLoader.load(file, NO_VARIABLES);

    assertThat(config.database().dataDir().normalize()).isEqualTo(folder.toAbsolutePath().resolve("state/db"));
  }

  @Test
  void anAbsoluteDataDirIsKept() throws Exception {
    Path file = write(ONE_MODEL + "database:\n  data_dir: /var/lib/baton\n");

    assertThat(ConfigLoader.load(file, NO_VARIABLES).database().dataDir()).isEqualTo(Path.of("/var/lib/baton"));
  }

  @Test
  void theContractsExampleWithItsVariablesUnsetMeansEmbedded() throws Exception {
    Path file = write(ONE_MODEL + """
        database:
          url: ${BATON_DATABASE_URL:-}
          user: ${BATON_DB_USER:-}
          password: ${BATON_DB_PASSWORD:-}
          data_dir: ./baton-data
        """);

    DatabaseConfig database = ConfigLoader.load(file, NO_VARIABLES).database();

    assertThat(database.embedded()).isTrue();
    assertThat(database.user()).isNull();
    assertThat(database.password()).isNull();
  }

  @Test
  void aPostgresUrlWithCredentialsFromTheEnvironment() throws Exception {
    Path file = write(ONE_MODEL + """
        database:
          url: ${BATON_DATABASE_URL:-}
          user: ${BATON_DB_USER:-}
          password: ${BATON_DB_PASSWORD:-}
        """);
    Environment env = Environment.of(Map.of("BATON_DATABASE_URL", "jdbc:postgresql://db:5432/baton",
        "BATON_DB_USER", "baton", "BATON_DB_PASSWORD", "pg-secret-771"));

    DatabaseConfig database = ConfigLoader.load(file, env).database();

    assertThat(database.embedded()).isFalse();
    assertThat(database.url()).isEqualTo("jdbc:postgresql://db:5432/baton");
    assertThat(database.user()).isEqualTo("baton");
    assertThat(database.password().reveal()).isEqualTo("pg-secret-771");
    assertThat(database.toString()).doesNotContain("pg-secret-771");
  }

  @Test
  void aPasswordInsideTheUrlIsNeverShown() throws Exception {
    DatabaseConfig database = new DatabaseConfig("postgres://baton:pg-secret-771@db/baton?password=other-secret",
        null, null, folder);

    assertThat(database.toString()).doesNotContain("pg-secret-771").doesNotContain("other-secret");
    assertThat(database.redactedUrl()).isEqualTo("postgres://****@db/baton?password=****");
  }

  @Test
  void anUnsupportedUrlIsAnErrorWithItsLineAndNoPassword() throws Exception {
    Path file = write(ONE_MODEL + "database:\n  url: mysql://root:hunter2@db/baton\n");

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, NO_VARIABLES));

    assertThat(e.problems()).containsExactly("baton.yaml:6: database.url: expected jdbc:postgresql://host:5432/db or "
        + "postgres://user:password@host/db (or empty for the embedded database), was 'mysql://****@db/baton'");
  }

  @Test
  void unknownKeysInTheDatabaseSectionAreNamedWithTheirLine() throws Exception {
    Path file = write(ONE_MODEL + "database:\n  url: postgres://db/baton\n  pasword: x\n");

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, NO_VARIABLES));

    assertThat(e.problems()).containsExactly("baton.yaml:7: database.pasword: unknown key 'pasword'; did you mean 'password'?");
  }

  @Test
  void anEmptyDataDirIsAnError() throws Exception {
    Path file = write(ONE_MODEL + "database:\n  data_dir: ''\n");

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, NO_VARIABLES));

    assertThat(e.problems()).containsExactly("baton.yaml:6: database.data_dir: must not be empty");
  }

  @Test
  void storeContentIsRead() throws Exception {
    Path file = write(ONE_MODEL + "logging:\n  store_content: true\n");

    assertThat(ConfigLoader.load(file, NO_VARIABLES).logging().storeContent()).isTrue();
  }

  @Test
  void storeContentMustBeABoolean() throws Exception {
    Path file = write(ONE_MODEL + "logging:\n  store_content: sometimes\n");

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, NO_VARIABLES));

    assertThat(e.problems()).containsExactly("baton.yaml:6: logging.store_content: must be true or false, was 'sometimes'");
  }

  @Test
  void unknownKeysInTheLoggingSectionAreNamedWithTheirLine() throws Exception {
    Path file = write(ONE_MODEL + "logging:\n  store_contents: true\n");

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, NO_VARIABLES));

    assertThat(e.problems())
        .containsExactly("baton.yaml:6: logging.store_contents: unknown key 'store_contents'; did you mean 'store_content'?");
  }

  private Path write(String yaml) throws Exception {
    Path file = folder.resolve("baton.yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
