package dev.baton.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitResetTest {

  private static final List<String> CEREBRAS = List.of("x-ratelimit-reset-tokens-minute",
      "x-ratelimit-reset-requests-minute", "x-ratelimit-reset-requests-day");
  private static final List<String> OPENAI = List.of("x-ratelimit-reset-requests", "x-ratelimit-reset-tokens");

  private static HttpHeaders headers(Map<String, String> values) {
    return HttpHeaders.of(values.entrySet().stream().collect(java.util.stream.Collectors.toMap(
        Map.Entry::getKey, e -> List.of(e.getValue()))), (a, b) -> true);
  }

  @Test
  void theSpentWindowDecides() {
    HttpHeaders h = headers(Map.of(
        "x-ratelimit-remaining-tokens-minute", "52000", "x-ratelimit-reset-tokens-minute", "11.38",
        "x-ratelimit-remaining-requests-day", "0", "x-ratelimit-reset-requests-day", "1800.5"));

    assertThat(RateLimitReset.parse(h, CEREBRAS)).isEqualTo(Duration.ofMillis(1800500));
  }

  @Test
  void withNoWindowSpentTheFirstListedHeaderDecides() {
    HttpHeaders h = headers(Map.of(
        "x-ratelimit-remaining-tokens-minute", "900", "x-ratelimit-reset-tokens-minute", "5.5",
        "x-ratelimit-reset-requests-day", "33011.4"));

    assertThat(RateLimitReset.parse(h, CEREBRAS)).isEqualTo(Duration.ofMillis(5500));
  }

  @Test
  void goDurationsAreRead() {
    assertThat(RateLimitReset.duration("6m0s")).isEqualTo(Duration.ofMinutes(6));
    assertThat(RateLimitReset.duration("2m59.56s")).isEqualTo(Duration.ofMillis(179560));
    assertThat(RateLimitReset.duration("12ms")).isEqualTo(Duration.ofMillis(12));
    assertThat(RateLimitReset.duration("1h2m3s")).isEqualTo(Duration.ofSeconds(3723));
    assertThat(RateLimitReset.duration("soon")).isNull();
    assertThat(RateLimitReset.duration("")).isNull();
    HttpHeaders h = headers(Map.of("x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "1s",
        "x-ratelimit-reset-requests", "120ms"));

    assertThat(RateLimitReset.parse(h, OPENAI)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void nothingReadableIsNoWait() {
    assertThat(RateLimitReset.parse(headers(Map.of("x-ratelimit-reset-tokens-minute", "later")), CEREBRAS)).isNull();
    assertThat(RateLimitReset.parse(headers(Map.of()), CEREBRAS)).isNull();
    assertThat(RateLimitReset.parse(headers(Map.of("x-ratelimit-reset-tokens-minute", "0")), CEREBRAS))
        .as("a window that has already reopened asks for no wait").isNull();
  }

  @Test
  void aWaitOfDaysIsCappedLikeRetryAfter() {
    HttpHeaders h = headers(Map.of("x-ratelimit-remaining-requests-day", "0",
        "x-ratelimit-reset-requests-day", "86400"));

    assertThat(RateLimitReset.parse(h, CEREBRAS)).isEqualTo(RetryAfter.MAX);
  }
}
