package dev.baton.transport;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How long a throttled upstream's rate-limit window stays shut, from the {@code x-ratelimit-reset-*}
 * headers some providers send instead of {@code Retry-After}: seconds as a number (Cerebras:
 * {@code x-ratelimit-reset-tokens-minute: 11.38}) or a Go-style duration (OpenAI, Groq:
 * {@code x-ratelimit-reset-requests: 6m0s}, {@code 12ms}). A window whose matching
 * {@code x-ratelimit-remaining-*} is spent is the one that refused: the longest of those is the wait.
 * When no window says it is spent (a request refused for its estimated size), the first header listed
 * that is present is.
 */
public final class RateLimitReset {

  private static final Pattern GO_DURATION =
      Pattern.compile("(?:(\\d+(?:\\.\\d+)?)h)?(?:(\\d+(?:\\.\\d+)?)m(?!s))?(?:(\\d+(?:\\.\\d+)?)s)?(?:(\\d+(?:\\.\\d+)?)ms)?");
  private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");

  private RateLimitReset() {}

  /**
   * The wait the listed reset headers ask for, or null when none is present and readable.
   *
   * @param resets reset header names, most telling first, such as {@code x-ratelimit-reset-tokens-minute}
   */
  public static @Nullable Duration parse(HttpHeaders headers, List<String> resets) {
    Duration spent = null;
    Duration first = null;
    for (String reset : resets) {
      Duration wait = headers.firstValue(reset).map(RateLimitReset::duration).orElse(null);
      if (wait == null) {
        continue;
      }
      if (first == null) {
        first = wait;
      }
      String remaining = headers.firstValue(reset.replace("-reset-", "-remaining-")).orElse(null);
      if (remaining != null && exhausted(remaining) && (spent == null || wait.compareTo(spent) > 0)) {
        spent = wait;
      }
    }
    Duration wait = spent != null ? spent : first;
    return wait == null ? null : RetryAfter.parse(String.valueOf(wait.toMillis() / 1000.0));
  }

  private static boolean exhausted(String remaining) {
    String value = remaining.strip();
    return NUMBER.matcher(value).matches() && Double.parseDouble(value) <= 0;
  }

  /** A reset value: seconds as a number, or a duration such as {@code 1h2m3.5s} or {@code 250ms}. */
  static @Nullable Duration duration(String value) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    if (NUMBER.matcher(text).matches()) {
      return Duration.ofNanos((long) (Double.parseDouble(text) * 1e9));
    }
    Matcher m = GO_DURATION.matcher(text);
    if (text.isEmpty() || !m.matches()) {
      return null;
    }
    double seconds = part(m.group(1)) * 3600 + part(m.group(2)) * 60 + part(m.group(3)) + part(m.group(4)) / 1000;
    return Duration.ofNanos((long) (seconds * 1e9));
  }

  private static double part(@Nullable String number) {
    return number == null ? 0 : Double.parseDouble(number);
  }
}
