package dev.baton.cache;

import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What one request asks of the cache, as HTTP's {@code Cache-Control} request header says it.
 *
 * @param noCache do not answer from the cache, but store the fresh answer ({@code no-cache})
 * @param noStore neither answer from the cache nor store the answer ({@code no-store})
 * @param maxAge answer only from an entry younger than this ({@code max-age=N}, in seconds); null: any live entry
 */
public record CacheControl(boolean noCache, boolean noStore, @Nullable Duration maxAge) {

  /** Nothing asked: look up, and store what is answered. */
  public static final CacheControl NONE = new CacheControl(false, false, null);

  public CacheControl {
    if (maxAge != null && maxAge.isNegative()) {
      throw new IllegalArgumentException("max-age must not be negative, was " + maxAge);
    }
  }

  /**
   * The directives of a {@code Cache-Control} header, such as {@code no-cache} or {@code max-age=60}: names
   * are case-insensitive and comma-separated; directives the cache has no use for ({@code no-transform},
   * {@code max-stale}, ...) and a {@code max-age} that is not a number are ignored, as RFC 9111 asks.
   *
   * @param header the header's value, or null when the request has none
   */
  public static CacheControl parse(@Nullable String header) {
    if (header == null || header.isBlank()) {
      return NONE;
    }
    boolean noCache = false;
    boolean noStore = false;
    Duration maxAge = null;
    for (String part : header.split(",")) {
      String directive = part.strip().toLowerCase(Locale.ROOT);
      int equals = directive.indexOf('=');
      String name = equals < 0 ? directive : directive.substring(0, equals).strip();
      switch (name) {
        case "no-cache" -> noCache = true;
        case "no-store" -> noStore = true;
        case "max-age" -> {
          Long seconds = equals < 0 ? null : seconds(directive.substring(equals + 1).strip());
          if (seconds != null) {
            maxAge = Duration.ofSeconds(seconds);
          }
        }
        default -> {
          // not the cache's business
        }
      }
    }
    return noCache || noStore || maxAge != null ? new CacheControl(noCache, noStore, maxAge) : NONE;
  }

  /** A {@code delta-seconds} value (quoted is tolerated); a huge one is taken as the largest. */
  private static @Nullable Long seconds(String value) {
    String digits = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    return digits.length() > 12 ? Long.valueOf(999_999_999_999L) : Long.valueOf(Long.parseLong(digits));
  }
}
