package dev.baton.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where several gateway instances share their state (contract section 8): the {@code redis:} section.
 *
 * @param url {@code redis://[:password@]host[:6379][/db]}, or {@code rediss://} for TLS; null when the
 *     section is absent or its url empty — then each instance keeps its state alone
 */
public record RedisConfig(@Nullable Secret url) {

  /** No Redis: every instance alone. */
  public static final RedisConfig NONE = new RedisConfig(null);

  public RedisConfig {
    url = url == null || url.reveal().isBlank() ? null : Secret.of(url.reveal().strip());
  }

  /** True when a url is set, so state is shared through Redis. */
  public boolean enabled() {
    return url != null;
  }

  /** The url with any password hidden, for messages and logs. */
  public @Nullable String redactedUrl() {
    return url == null ? null : redact(url.reveal());
  }

  /** What is wrong with a url as a Redis address, or empty when it is a valid one. */
  public static Optional<String> problem(String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      return Optional.of("not a valid URL: " + e.getReason());
    }
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
      return Optional.of("expected redis://[:password@]host:6379[/db] (or rediss:// for TLS)");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      return Optional.of("names no host; expected redis://[:password@]host:6379[/db]");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (!path.isEmpty() && !path.equals("/") && !path.substring(1).matches("\\d{1,2}")) {
      return Optional.of("the database after the host must be a number such as /0");
    }
    return Optional.empty();
  }

  /** A url with any {@code user:password@} part hidden. */
  public static String redact(String url) {
    return url.replaceFirst("//[^/@]*@", "//****@");
  }

  @Override
  public String toString() {
    return "RedisConfig[url=" + redactedUrl() + "]";
  }
}
