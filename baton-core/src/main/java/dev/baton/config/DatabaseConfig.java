package dev.baton.config;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where virtual keys, teams, spend and stored responses live (contract section 7).
 *
 * @param url empty or absent: an embedded database file under {@code dataDir}; otherwise a PostgreSQL
 *     address, {@code jdbc:postgresql://host:5432/db} or {@code postgres://user:pass@host/db}
 * @param user the database user, when not given in the url
 * @param password the database password, when not given in the url
 * @param dataDir the folder for the embedded database and the outage journal, already resolved against
 *     the configuration file's folder
 */
public record DatabaseConfig(@Nullable String url, @Nullable String user, @Nullable Secret password, Path dataDir) {

  /** The folder name used when {@code data_dir} is not set. */
  public static final String DEFAULT_DATA_DIR = "baton-data";

  private static final Pattern USER_INFO = Pattern.compile("//[^/@]*@");

  public DatabaseConfig {
    url = url == null || url.isBlank() ? null : url.strip();
    user = user == null || user.isBlank() ? null : user;
    password = password == null || password.isEmpty() ? null : password;
  }

  /** No database configured: the embedded one under {@code baseDir/baton-data}. */
  public static DatabaseConfig embeddedIn(Path baseDir) {
    return new DatabaseConfig(null, null, null, baseDir.resolve(DEFAULT_DATA_DIR));
  }

  /** True when no url is set, so the embedded database is used. */
  public boolean embedded() {
    return url == null;
  }

  /** The url with any {@code user:password@} part replaced, for messages and logs. */
  public @Nullable String redactedUrl() {
    return url == null ? null : redact(url);
  }

  /** A url with any {@code user:password@} part and {@code password=} parameter hidden. */
  public static String redact(String url) {
    return USER_INFO.matcher(url).replaceFirst("//****@").replaceAll("(?i)(password=)[^&]*", "$1****");
  }

  @Override
  public String toString() {
    return "DatabaseConfig[url=" + redactedUrl() + ", user=" + user + ", password=" + password
        + ", dataDir=" + dataDir + "]";
  }
}
