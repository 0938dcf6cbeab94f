package dev.baton.provider.gemini;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Attempt;
import dev.baton.Baton;
import dev.baton.ChatChunk;
import dev.baton.ChatResponse;
import dev.baton.ChatStream;
import dev.baton.ContentPolicyException;
import dev.baton.ServerErrorException;
import dev.baton.config.ModelConfig;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.GeminiFixtures;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.Reply;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Gemini inside Baton's promise: when it cannot answer, the next model does. */
class GeminiFallbackTest {

  private static ModelConfig fallback(FakeUpstream upstream) {
    return ModelConfig.builder("fallback", "openai-compatible", "fallback-model")
        .apiBase(upstream.url("/v1"))
        .apiKey("sk-test-fallback-secret-key-123456")
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  @Test
  void anOverloadedGeminiFallsBackToTheNextModel() {
    try (FakeUpstream gemini = FakeUpstream.start(); FakeUpstream other = FakeUpstream.start()) {
      gemini.always(Reply.json(503, GeminiFixtures.UNAVAILABLE));
      other.always(Reply.json(200, chatCompletion("fallback-model", "Hi from the fallback")));
      try (Baton baton = Baton.builder()
          .model(Harness.deployment("gemini", "gemini-2.5-flash", gemini).build())
          .model(fallback(other))
          .fallbacks("gemini", "fallback")
          .retries(1)
          .build()) {

        ChatResponse r = baton.chat("Hello, fallback models!");

        assertThat(r.text()).isEqualTo("Hi from the fallback");
        assertThat(r.model()).isEqualTo("fallback");
        assertThat(r.attempts()).extracting(Attempt::model).containsExactly("gemini", "gemini", "fallback");
        assertThat(r.attempts().subList(0, 2)).allSatisfy(a -> {
          assertThat(a.outcome()).isEqualTo(Attempt.Outcome.FAILED);
          assertThat(a.errorClass()).isEqualTo(ServerErrorException.class);
          assertThat(a.status()).isEqualTo(503);
        });
        assertThat(r.attempts().get(2).outcome()).isEqualTo(Attempt.Outcome.SUCCEEDED);
        assertThat(gemini.requests()).hasSize(2);
      }
    }
  }

  @Test
  void aSafetyBlockGoesToTheContentPolicyFallback() {
    try (FakeUpstream gemini = FakeUpstream.start(); FakeUpstream lenient = FakeUpstream.start()) {
      gemini.always(Reply.json(200, GeminiFixtures.OUTPUT_BLOCKED));
      lenient.always(Reply.json(200, chatCompletion("fallback-model", "A careful answer")));
      try (Baton baton = Baton.builder()
          .model(Harness.deployment("gemini", "gemini-2.5-flash", gemini).build())
          .model(fallback(lenient))
          .contentPolicyFallbacks("gemini", "fallback")
          .build()) {

        ChatResponse r = baton.chat("Write the villain's threatening monologue.");

        assertThat(r.text()).isEqualTo("A careful answer");
        assertThat(r.model()).isEqualTo("fallback");
        assertThat(r.attempts()).extracting(Attempt::errorClass)
            .as("refusals are never retried").containsExactly(ContentPolicyException.class, null);
        assertThat(gemini.requests()).hasSize(1);
      }
    }
  }

  @Test
  void aGeminiStreamCutMidwayIsFinishedByTheFallback() {
    try (FakeUpstream gemini = FakeUpstream.start(); FakeUpstream other = FakeUpstream.start()) {
      gemini.always(Reply.sse(GeminiFixtures.textStream()).cutAfter(2));
      // The fallback answers the question anew: what Gemini already sent is skipped.
      other.always(Reply.sse(OpenAiFixtures.stream("fallback-model", "The sky is blue", " because of", " Rayleigh scattering.")));
      try (Baton baton = Baton.builder()
          .model(Harness.deployment("gemini", "gemini-2.5-flash", gemini).build())
          .model(fallback(other))
          .fallbacks("gemini", "fallback")
          .retries(0)
          .build();
          ChatStream s = baton.stream("Why is the sky blue?")) {

        StringBuilder text = new StringBuilder();
        for (ChatChunk c : s) {
          text.append(c.text());
        }

        assertThat(text.toString()).isEqualTo("The sky is blue because of Rayleigh scattering.");
        assertThat(s.attempts()).extracting(Attempt::model).containsExactly("gemini", "fallback");
      }
    }
  }
}
