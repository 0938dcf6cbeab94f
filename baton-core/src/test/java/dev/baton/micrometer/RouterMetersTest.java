package dev.baton.micrometer;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static dev.baton.testkit.OpenAiFixtures.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Baton;
import dev.baton.ChatRequest;
import dev.baton.config.ModelConfig;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The router's meters, as the gateway's /metrics and the Spring starter both record them. */
class RouterMetersTest {

  @Test
  void aFallbackIsCountedWithEachAttemptItsOutcomeAndWhy() {
    try (FakeUpstream primary = FakeUpstream.start(); FakeUpstream fallback = FakeUpstream.start()) {
      primary.always(Reply.json(503, error("The server is overloaded.", "server_error", null)));
      fallback.always(Reply.json(200, chatCompletion("b-model", "from b")));
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (Baton baton = Baton.builder()
          .model(deployment("a", primary)).model(deployment("b", fallback))
          .fallbacks("a", "b").retries(1)
          .listener(new RouterMeters(registry))
          .build()) {

        assertThat(baton.chat(ChatRequest.builder().model("a").user("hi").build()).text()).isEqualTo("from b");
      }

      assertThat(registry.get("baton.attempts").tag("deployment", "a").tag("outcome", "failed")
          .tag("error", "server_error").counter().count()).as("the primary's two attempts").isEqualTo(2.0);
      assertThat(registry.get("baton.attempts").tag("deployment", "b").tag("outcome", "succeeded")
          .tag("error", "none").tag("provider", "openai-compatible").counter().count()).isEqualTo(1.0);
      assertThat(registry.get("baton.retries").tag("deployment", "a").tag("reason", "server_error")
          .counter().count()).isEqualTo(1.0);
      assertThat(registry.get("baton.fallbacks").tag("from", "a").tag("to", "b").tag("reason", "server_error")
          .counter().count()).isEqualTo(1.0);
      assertThat(registry.get("baton.attempt.duration").tag("deployment", "a").tag("outcome", "failed")
          .timer().count()).as("attempts that went upstream are timed").isEqualTo(2);
    }
  }

  private static ModelConfig deployment(String name, FakeUpstream upstream) {
    return ModelConfig.builder(name, "openai-compatible", name + "-model")
        .apiBase(upstream.url("/v1")).apiKey("sk-test-" + name + "-secret-key-123456")
        .timeout(Duration.ofSeconds(5)).build();
  }
}
