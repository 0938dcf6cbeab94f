package dev.baton.store.jdbc;

import dev.baton.config.DatabaseConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The database a configuration names, as JDBC wants it. An empty url is the embedded SQLite file
 * {@code data_dir/baton.db}; {@code jdbc:postgresql://…} is used as it is; {@code postgres://user:pass@host:port/db?…}
 * (and {@code postgresql://}) is turned into a JDBC url with the user and password taken out of it. The
 * {@code user} and {@code password} settings fill in what the url does not say.
 *
 * @param description what to call it in messages: never a password
 */
record DatabaseTarget(Kind kind, String jdbcUrl, @Nullable String user, @Nullable String password, String description) {

  /** The two databases Baton runs on. */
  enum Kind {
    SQLITE,
    POSTGRES
  }

  static final String EMBEDDED_FILE = "baton.db";

  static DatabaseTarget of(DatabaseConfig config) {
    String url = config.url();
    String user = config.user();
    String password = config.password() == null ? null : config.password().reveal();
    if (url == null) {
      Path file = config.dataDir().resolve(EMBEDDED_FILE).toAbsolutePath().normalize();
      return new DatabaseTarget(Kind.SQLITE, "jdbc:sqlite:" + file, null, null, "SQLite " + file);
    }
    if (url.startsWith("jdbc:sqlite:")) {
      return new DatabaseTarget(Kind.SQLITE, url, null, null, "SQLite " + url.substring("jdbc:sqlite:".length()));
    }
    if (url.startsWith("jdbc:postgresql://")) {
      return new DatabaseTarget(Kind.POSTGRES, url, user, password, "PostgreSQL " + where(url.substring(5)));
    }
    if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("database.url: not a valid url: " + DatabaseConfig.redact(url));
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("database.url: names no host: " + DatabaseConfig.redact(url));
      }
      String info = uri.getRawUserInfo();
      if (info != null) {
        int colon = info.indexOf(':');
        String urlUser = decode(colon < 0 ? info : info.substring(0, colon));
        String urlPassword = colon < 0 ? null : decode(info.substring(colon + 1));
        user = urlUser.isEmpty() ? user : urlUser;
        password = urlPassword == null || urlPassword.isEmpty() ? password : urlPassword;
      }
      String hostPort = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
      String jdbc = "jdbc:postgresql://" + hostPort + path + query;
      return new DatabaseTarget(Kind.POSTGRES, jdbc, user, password, "PostgreSQL " + hostPort + path);
    }
    throw new IllegalArgumentException("database.url: expected jdbc:postgresql://host:5432/db or "
        + "postgres://user:password@host/db, was " + DatabaseConfig.redact(url));
  }

  /** {@code host:port/db} of a {@code postgresql://…} url, without parameters or credentials. */
  private static String where(String url) {
    String rest = url.substring(url.indexOf("//") + 2);
    int at = rest.indexOf('@');
    rest = at < 0 ? rest : rest.substring(at + 1);
    int query = rest.indexOf('?');
    return query < 0 ? rest : rest.substring(0, query);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return description;
  }
}
