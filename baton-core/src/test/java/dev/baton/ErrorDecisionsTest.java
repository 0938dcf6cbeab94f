package dev.baton;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static dev.baton.testkit.OpenAiFixtures.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.baton.Attempt.Outcome;
import dev.baton.config.ModelConfig;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.Reply;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Contract section 4, row by row, over real HTTP: what the caller gets and which upstreams were called
 * for each way an upstream can fail.
 */
class ErrorDecisionsTest {

  FakeUpstream primary;
  FakeUpstream fallback;
  FakeUpstream special;

  @BeforeEach
  void startUpstreams() {
    primary = FakeUpstream.start();
    fallback = FakeUpstream.start();
    special = FakeUpstream.start();
    fallback.always(Reply.json(200, chatCompletion("fallback-model", "from the fallback")));
    special.always(Reply.json(200, chatCompletion("special-model", "from the special fallback")));
  }

  @AfterEach
  void stopUpstreams() {
    primary.close();
    fallback.close();
    special.close();
  }

  Baton baton(UnaryOperator<Baton.Builder> settings) {
    Baton.Builder b = Baton.builder()
        .model(Upstreams.openAi("primary", primary).build())
        .model(Upstreams.openAi("fallback", fallback).build())
        .model(Upstreams.openAi("special", special).build())
        .fallbacks("primary", "fallback");
    return settings.apply(b).build();
  }

  Baton baton() {
    return baton(b -> b);
  }

  @Nested
  class UpstreamBadRequest {
    @Test
    void isPassedOnWithoutRetryFallbackOrCooldown() {
      primary.always(Reply.json(400, error("Invalid value for 'temperature'", "invalid_request_error", null)));
      try (Baton baton = baton(b -> b.cooldown(1, Duration.ofMinutes(1), Duration.ofMinutes(1)))) {

        BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> baton.chat("hi"));
        baton.chat(ChatRequest.builder().user("again").build()).toString();

        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).contains("Invalid value for 'temperature'");
        assertThat(e.attempts()).hasSize(1);
        assertThat(fallback.requests()).as("no fallback for a bad request").isEmpty();
        assertThat(primary.requests()).as("no retry, and no cooldown: the second request still went to primary")
            .hasSize(2);
      } catch (BadRequestException expectedOnSecondCall) {
        assertThat(primary.requests()).hasSize(2);
        assertThat(fallback.requests()).isEmpty();
      }
    }
  }

  @Nested
  class ContextWindowExceeded {
    @Test
    void goesToContextWindowFallbacksAndNeverRetriesTheSameModel() {
      primary.always(Reply.json(400, error("This model's maximum context length is 8192 tokens. However, your"
          + " messages resulted in 8227 tokens.", "invalid_request_error", "context_length_exceeded")));
      try (Baton baton = baton(b -> b.contextWindowFallbacks("primary", "special"))) {

        ChatResponse r = baton.chat("a very long prompt");

        assertThat(r.text()).isEqualTo("from the special fallback");
        assertThat(primary.requests()).hasSize(1);
        assertThat(fallback.requests()).as("the ordinary fallback is not used").isEmpty();
      }
    }

    @Test
    void goesToOrdinaryFallbacksWhenNoContextWindowFallbackIsConfigured() {
      primary.always(Reply.json(400, error("prompt is too long: 208310 tokens > 200000 maximum",
          "invalid_request_error", null)));
      try (Baton baton = baton()) {

        ChatResponse r = baton.chat("a very long prompt");

        assertThat(r.model()).isEqualTo("fallback");
        assertThat(primary.requests()).hasSize(1);
      }
    }
  }

  @Nested
  class ContentPolicy {
    @Test
    void goesToContentPolicyFallbacks() {
      primary.always(Reply.json(400, error("Your request was rejected as a result of our safety system.",
          "invalid_request_error", "content_policy_violation")));
      try (Baton baton = baton(b -> b.contentPolicyFallbacks("primary", "special"))) {

        ChatResponse r = baton.chat("something edgy");

        assertThat(r.model()).isEqualTo("special");
        assertThat(primary.requests()).hasSize(1);
        assertThat(fallback.requests()).isEmpty();
      }
    }

    @Test
    void reachesTheCallerAsA400WithTheProvidersReasonWhenNoContentPolicyFallbackIsConfigured() {
      primary.always(Reply.json(400, error("Your request was rejected as a result of our safety system.",
          "invalid_request_error", "content_policy_violation")));
      try (Baton baton = baton()) {

        ContentPolicyException e = catchThrowableOfType(ContentPolicyException.class, () -> baton.chat("edgy"));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).contains("rejected as a result of our safety system");
        assertThat(primary.requests()).hasSize(1);
        assertThat(fallback.requests()).as("the ordinary fallbacks are not for refusals").isEmpty();
      }
    }
  }

  @Nested
  class RetryableFailures {
    @ParameterizedTest(name = "{0} once, then healthy: retried on the same deployment")
    @ValueSource(ints = {408, 409, 429, 500, 502, 503, 504, 529})
    void areRetriedOnTheSameDeployment(int status) {
      primary.enqueue(Reply.json(status, error("transient", "server_error", null)));
      primary.always(Reply.json(200, chatCompletion("primary-model", "from the primary")));
      try (Baton baton = baton(b -> b.retries(2))) {

        ChatResponse r = baton.chat("hi");

        assertThat(r.text()).isEqualTo("from the primary");
        assertThat(r.attempts()).extracting(Attempt::outcome).containsExactly(Outcome.FAILED, Outcome.SUCCEEDED);
        assertThat(fallback.requests()).isEmpty();
      }
    }

    @ParameterizedTest(name = "{0} every time: bounded retries, then the fallback")
    @ValueSource(ints = {500, 503, 529, 429})
    void fallBackAfterTheRetries(int status) {
      primary.always(Reply.json(status, error("down", "server_error", null)));
      try (Baton baton = baton(b -> b.retries(2))) {

        ChatResponse r = baton.chat("hi");

        assertThat(r.model()).isEqualTo("fallback");
        assertThat(primary.requests()).as("1 attempt + 2 retries").hasSize(3);
      }
    }

    @Test
    void aResetBeforeAnyHeaderIsRetried() {
      primary.enqueue(Reply.reset());
      primary.always(Reply.json(200, chatCompletion("primary-model", "from the primary")));
      try (Baton baton = baton()) {

        ChatResponse r = baton.chat("hi");

        assertThat(r.text()).isEqualTo("from the primary");
        assertThat(r.attempts().get(0).errorClass()).isEqualTo(ConnectionFailedException.class);
      }
    }

    @Test
    void aSuccessWhoseBodyIsNotJsonIsRetriedThenFallsBack() {
      primary.always(Reply.body(200, "application/json", "<html>gateway hiccup</html>"));
      try (Baton baton = baton(b -> b.retries(1))) {

        ChatResponse r = baton.chat("hi");

        assertThat(r.model()).isEqualTo("fallback");
        assertThat(primary.requests()).hasSize(2);
        assertThat(r.attempts().get(0).errorClass()).isEqualTo(UnreadableResponseException.class);
      }
    }

    @Test
    void aRateLimitWithRetryAfterIsWaitedOutWhenNothingElseIsLeft() {
      primary.enqueue(Reply.json(429, error("slow down", "rate_limit_error", "rate_limit_exceeded"))
          .header("Retry-After", "1"));
      primary.always(Reply.json(200, chatCompletion("primary-model", "from the primary")));
      try (Baton baton = Baton.builder().model(Upstreams.openAi("primary", primary).build()).build()) {
        long start = System.nanoTime();

        ChatResponse r = baton.chat("hi");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("honours Retry-After: 1")
            .isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(r.text()).isEqualTo("from the primary");
      }
    }

    @Test
    void aRateLimitWithRetryAfterFailsOverAtOnceWhenAFallbackIsAvailable() {
      primary.always(Reply.json(429, error("slow down", "rate_limit_error", "rate_limit_exceeded"))
          .header("Retry-After", "30"));
      try (Baton baton = baton()) {

        ChatResponse r = baton.chat("hi");

        assertThat(r.model()).isEqualTo("fallback");
        assertThat(primary.requests()).as("no second attempt inside the Retry-After window").hasSize(1);
      }
    }
  }

  @Nested
  class Timeouts {
    @Test
    void aSilentUpstreamFailsOverAfterTheFirstTimeoutRatherThanRetrying() {
      primary.always(Reply.silent());
      try (Baton baton = baton(b -> b.retries(2).model(Upstreams.openAi("silent", primary)
          .timeout(Duration.ofMillis(300)).build()).fallbacks("silent", "fallback"))) {

        ChatResponse r = baton.chat(ChatRequest.builder().model("silent").user("hi").build());

        assertThat(r.model()).isEqualTo("fallback");
        assertThat(r.attempts().get(0).errorClass()).isEqualTo(UpstreamTimeoutException.class);
        assertThat(primary.requests()).as("a silent route is not retried while a fallback exists").hasSize(1);
      }
    }

    @Test
    void aSilentUpstreamIsRetriedWhenNothingElseIsLeftThenReports504() {
      primary.always(Reply.silent());
      try (Baton baton = Baton.builder()
          .model(Upstreams.openAi("primary", primary).timeout(Duration.ofMillis(200)).build())
          .retries(1).build()) {

        AllModelsFailedException e = catchThrowableOfType(AllModelsFailedException.class, () -> baton.chat("hi"));

        assertThat(e.status()).isEqualTo(504);
        assertThat(primary.requests()).hasSize(2);
      }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void anUpstreamThatNeverReadsTheRequestFailsOverAtTheTimeout() throws Exception {
      // A server that accepts and then reads nothing, with a small receive window: sending a large
      // request blocks in the write, which a read timeout alone would never end.
      try (java.net.ServerSocket deaf = new java.net.ServerSocket()) {
        deaf.setReceiveBufferSize(4096);
        deaf.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
        java.util.List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
          try {
            while (true) {
              accepted.add(deaf.accept());
            }
          } catch (java.io.IOException closed) {
            // the test is over
          }
        });
        ModelConfig deafModel = ModelConfig.builder("deaf", "openai-compatible", "deaf-model")
            .apiBase("http://127.0.0.1:" + deaf.getLocalPort() + "/v1").apiKey("sk-test-deaf")
            .timeout(Duration.ofMillis(400)).build();
        try (Baton baton = baton(b -> b.retries(0).model(deafModel).fallbacks("deaf", "fallback"))) {
          long start = System.nanoTime();

          ChatResponse r = baton.chat(ChatRequest.builder().model("deaf").user("x".repeat(16 << 20)).build());

          assertThat(r.model()).isEqualTo("fallback");
          assertThat(r.attempts().get(0).errorClass())
              .as("the blocked write was cut off at the attempt's timeout").isEqualTo(UpstreamTimeoutException.class);
          assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        } finally {
          for (java.net.Socket s : accepted) {
            s.close();
          }
        }
      }
    }

    @Test
    void theRequestDeadlineBoundsEverything() {
      primary.always(Reply.silent());
      try (Baton baton = Baton.builder()
          .model(Upstreams.openAi("primary", primary).timeout(Duration.ofSeconds(30)).build())
          .timeout(Duration.ofMillis(600)).build()) {
        long start = System.nanoTime();

        AllModelsFailedException e = catchThrowableOfType(AllModelsFailedException.class, () -> baton.chat("hi"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(e.status()).isEqualTo(504);
        assertThat(e.lastFailure()).isInstanceOf(UpstreamTimeoutException.class);
        assertThat(((UpstreamTimeoutException) e.lastFailure()).phase())
            .isEqualTo(UpstreamTimeoutException.Phase.DEADLINE);
      }
    }
  }

  @Nested
  class UpstreamAuthAndNotFound {
    @ParameterizedTest(name = "{0}: no retry, fall back")
    @ValueSource(ints = {401, 403, 404})
    void fallBackWithoutRetry(int status) {
      primary.always(Reply.json(status, error("nope", "invalid_request_error", null)));
      try (Baton baton = baton(b -> b.retries(2))) {

        ChatResponse r = baton.chat("hi");

        assertThat(r.model()).isEqualTo("fallback");
        assertThat(primary.requests()).hasSize(1);
      }
    }
  }

  @Nested
  class EveryAttemptFailed {
    @Test
    void reportsTheLastStatusAndNamesEveryModelTriedAndWhy() {
      primary.always(Reply.json(503, error("primary is down", "server_error", null)));
      fallback.always(Reply.json(500, error("fallback broke", "server_error", null)));
      try (Baton baton = baton(b -> b.retries(0))) {

        AllModelsFailedException e = catchThrowableOfType(AllModelsFailedException.class, () -> baton.chat("hi"));

        assertThat(e.status()).isEqualTo(500);
        assertThat(e.getMessage()).contains("primary").contains("503").contains("primary is down")
            .contains("fallback").contains("500").contains("fallback broke");
        assertThat(e.attempts()).extracting(Attempt::model).containsExactly("primary", "fallback");
      }
    }

    @Test
    void reports502ForNetworkFailures() {
      primary.always(Reply.reset());
      try (Baton baton = Baton.builder().model(Upstreams.openAi("primary", primary).build()).retries(0).build()) {

        AllModelsFailedException e = catchThrowableOfType(AllModelsFailedException.class, () -> baton.chat("hi"));

        assertThat(e.status()).isEqualTo(502);
      }
    }

    @Test
    void carriesRetryAfterWhenTheFailuresWereRateLimits() {
      primary.always(Reply.json(429, error("slow down", "rate_limit_error", "rate_limit_exceeded"))
          .header("Retry-After", "20"));
      try (Baton baton = Baton.builder().model(Upstreams.openAi("primary", primary).build()).build()) {

        AllModelsFailedException e = catchThrowableOfType(AllModelsFailedException.class, () -> baton.chat("hi"));

        assertThat(e.status()).isEqualTo(429);
        assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(20));
        assertThat(primary.requests()).as("a 20s wait is handed to the caller, not sat through").hasSize(1);
      }
    }
  }

  @Test
  void anUnknownModelIsA404ModelNotFound() {
    try (Baton baton = baton()) {

      UnknownModelException e = catchThrowableOfType(UnknownModelException.class,
          () -> baton.chat(ChatRequest.builder().model("gpt-7").user("hi").build()));

      assertThat(e.status()).isEqualTo(404);
      assertThat(e.code()).isEqualTo("model_not_found");
      assertThat(e.getMessage()).contains("gpt-7");
    }
  }

  @Test
  void noSecretAppearsInTheFailure() {
    String key = "sk-live-abcdefghijklmnopqrstuvwxyz123456";
    primary.always(Reply.json(401, error("Incorrect API key provided: " + key + ". You can find your API key at"
        + " https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key")));
    try (Baton baton = Baton.builder()
        .model(ModelConfig.builder("primary", "openai-compatible", "m").apiBase(primary.url("/v1")).apiKey(key).build())
        .build()) {

      AllModelsFailedException e = catchThrowableOfType(AllModelsFailedException.class, () -> baton.chat("hi"));

      assertThat(e.getMessage()).doesNotContain(key).doesNotContain("abcdefghijklmnop");
      assertThat(e.lastFailure().getMessage()).doesNotContain(key);
      assertThat(primary.lastRequest().header("authorization")).isEqualTo("Bearer " + key);
    }
  }

  @Test
  void requestFallbacksReplaceTheConfiguredOnes() {
    primary.always(Reply.json(503, error("down", "server_error", null)));
    try (Baton baton = baton(b -> b.retries(0))) {

      ChatResponse r = baton.chat(ChatRequest.builder().user("hi").fallbacks("special").build());

      assertThat(r.model()).isEqualTo("special");
      assertThat(fallback.requests()).isEmpty();
    }
  }

  @Test
  void anUnknownRequestFallbackIsRejectedBeforeAnyUpstreamCall() {
    try (Baton baton = baton()) {

      assertThatThrownBy(() -> baton.chat(ChatRequest.builder().user("hi").fallbacks("ghost").build()))
          .isInstanceOf(UnknownModelException.class).hasMessageContaining("ghost");
      assertThat(primary.requests()).isEmpty();
    }
  }
}
