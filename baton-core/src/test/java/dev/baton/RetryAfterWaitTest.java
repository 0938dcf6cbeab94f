package dev.baton;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static dev.baton.testkit.OpenAiFixtures.error;
import static dev.baton.testkit.OpenAiFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Attempt.Outcome;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.Reply;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code router.max_retry_after_wait}: a primary that is rate limited for a moment is waited out and
 * answers, rather than the request falling back at once — for plain, streamed and hedged requests alike;
 * a long {@code Retry-After}, or a deadline too short to wait, still falls back at once.
 */
class RetryAfterWaitTest {

  FakeUpstream primary;
  FakeUpstream fallback;

  @BeforeEach
  void start() {
    primary = FakeUpstream.start();
    fallback = FakeUpstream.start();
    fallback.always(Reply.json(200, chatCompletion("fallback-model", "from the fallback")));
  }

  @AfterEach
  void stop() {
    primary.close();
    fallback.close();
  }

  static Reply rateLimited(String header, String value) {
    return Reply.json(429, error("Rate limit reached for requests", "requests", "rate_limit_exceeded"))
        .header(header, value);
  }

  Baton baton(UnaryOperator<Baton.Builder> settings, String hedgeAfter) {
    var primaryModel = Upstreams.openAi("primary", primary);
    if (hedgeAfter != null) {
      primaryModel.hedgeAfter(hedgeAfter);
    }
    return settings.apply(Baton.builder()
        .model(primaryModel.build())
        .model(Upstreams.openAi("fallback", fallback).build())
        .fallbacks("primary", "fallback")).build();
  }

  Baton baton() {
    return baton(b -> b, null);
  }

  static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Test
  void aShortRetryAfterOnThePrimaryIsWaitedOutAndThePrimaryAnswers() {
    primary.enqueue(rateLimited("retry-after-ms", "600"));
    primary.always(Reply.json(200, chatCompletion("primary-model", "from the primary")));
    try (Baton baton = baton()) {
      long start = System.nanoTime();

      ChatResponse r = baton.chat("hi");

      assertThat(r.text()).isEqualTo("from the primary");
      assertThat(since(start)).as("waited the 600 ms out").isGreaterThanOrEqualTo(Duration.ofMillis(600));
      assertThat(fallback.requests()).as("no fallback was called").isEmpty();
      assertThat(r.attempts()).extracting(Attempt::model, Attempt::outcome).containsExactly(
          org.assertj.core.groups.Tuple.tuple("primary", Outcome.FAILED),
          org.assertj.core.groups.Tuple.tuple("primary", Outcome.SUCCEEDED));
      assertThat(primary.requests().get(1).receivedNanos() - primary.requests().get(0).receivedNanos())
          .as("the retry came after the Retry-After, not before").isGreaterThanOrEqualTo(600_000_000L);
    }
  }

  @Test
  void aRetryAfterLongerThanTheLimitFallsBackAtOnce() {
    primary.enqueue(rateLimited("Retry-After", "30"));
    primary.always(Reply.json(200, chatCompletion("primary-model", "from the primary")));
    try (Baton baton = baton()) {
      long start = System.nanoTime();

      ChatResponse r = baton.chat("hi");

      assertThat(r.text()).isEqualTo("from the fallback");
      assertThat(since(start)).isLessThan(Duration.ofSeconds(2));
      assertThat(primary.requests()).hasSize(1);
    }
  }

  @Test
  void aRetryAfterTheDeadlineLeavesNoRoomForFallsBackAtOnce() {
    primary.enqueue(rateLimited("retry-after-ms", "900"));
    primary.always(Reply.json(200, chatCompletion("primary-model", "from the primary")));
    try (Baton baton = baton(b -> b.timeout(Duration.ofMillis(1500)), null)) {
      long start = System.nanoTime();

      ChatResponse r = baton.chat("hi");

      assertThat(r.text()).as("waiting 900 ms would leave only 600 ms of a 1.5 s deadline")
          .isEqualTo("from the fallback");
      assertThat(since(start)).isLessThan(Duration.ofMillis(800));
      assertThat(primary.requests()).hasSize(1);
    }
  }

  @Test
  void aZeroLimitNeverWaitsWhileSomethingElseCanAnswer() {
    primary.enqueue(rateLimited("retry-after-ms", "600"));
    primary.always(Reply.json(200, chatCompletion("primary-model", "from the primary")));
    try (Baton baton = baton(b -> b.maxRetryAfterWait(Duration.ZERO), null)) {

      ChatResponse r = baton.chat("hi");

      assertThat(r.text()).isEqualTo("from the fallback");
      assertThat(primary.requests()).hasSize(1);
    }
  }

  @Test
  void aStreamWaitsOutAShortRetryAfterToo() {
    primary.enqueue(rateLimited("retry-after-ms", "600"));
    primary.always(Reply.sse(stream("primary-model", "from ", "the ", "primary")));
    try (Baton baton = baton(); ChatStream s = baton.stream("hi")) {
      long start = System.nanoTime();

      String text = s.collect().text();

      assertThat(text).isEqualTo("from the primary");
      assertThat(s.model()).isEqualTo("primary");
      assertThat(fallback.requests()).isEmpty();
      assertThat(primary.requests().get(1).receivedNanos() - primary.requests().get(0).receivedNanos())
          .isGreaterThanOrEqualTo(600_000_000L);
    }
  }

  @Test
  void aHedgedRequestWaitsOutAShortRetryAfterRatherThanHedgingToTheFallback() {
    primary.enqueue(rateLimited("retry-after-ms", "600"));
    primary.always(Reply.json(200, chatCompletion("primary-model", "from the primary")));
    try (Baton baton = baton(b -> b, "2s")) {

      ChatResponse r = baton.chat("hi");

      assertThat(r.text()).isEqualTo("from the primary");
      assertThat(fallback.requests()).isEmpty();
      assertThat(primary.requests()).hasSize(2);
    }
  }

  @Test
  void theLimitIsReadFromYaml() {
    var config = dev.baton.config.ConfigLoader.parse("""
        models:
          - {name: a, provider: mock, model: m}
        router:
          max_retry_after_wait: 2500ms
        """, "baton.yaml", dev.baton.config.Environment.of(java.util.Map.of()));

    assertThat(config.router().maxRetryAfterWait()).isEqualTo(Duration.ofMillis(2500));
    assertThat(dev.baton.config.RouterConfig.defaults().maxRetryAfterWait()).isEqualTo(Duration.ofSeconds(5));
  }
}
