package dev.baton.provider.ollama;

import static dev.baton.testkit.OllamaFixtures.chatAnswer;
import static dev.baton.testkit.OllamaFixtures.chatLine;
import static dev.baton.testkit.OllamaFixtures.doneLine;
import static dev.baton.testkit.OllamaFixtures.error;
import static dev.baton.testkit.OllamaFixtures.ndjson;
import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static dev.baton.testkit.OpenAiFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Attempt;
import dev.baton.Baton;
import dev.baton.ChatChunk;
import dev.baton.ChatResponse;
import dev.baton.ChatStream;
import dev.baton.config.ModelConfig;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.Reply;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ollama in a fallback chain, through the public SDK. */
class OllamaFallbackTest {

  private static ModelConfig openAi(String name, FakeUpstream upstream) {
    return ModelConfig.builder(name, "openai-compatible", name + "-model")
        .apiBase(upstream.url("/v1"))
        .apiKey("sk-test-" + name + "-secret-key-123456")
        .timeout(Duration.ofSeconds(5))
        .idleTimeout(Duration.ofSeconds(2))
        .build();
  }

  @Test
  void whenOllamaIsOverloadedTheOpenAiCompatibleFallbackAnswers() {
    try (FakeUpstream local = FakeUpstream.start(); FakeUpstream cloud = FakeUpstream.start()) {
      local.always(Reply.json(503, error("server busy, please try again.  maximum pending requests exceeded")));
      cloud.always(Reply.json(200, chatCompletion("cloud-model", "Hi from the fallback")));
      try (Baton baton = Baton.builder()
          .model(Ollama.deployment(local).build())
          .model(openAi("cloud", cloud))
          .fallbacks("local", "cloud")
          .retries(0)
          .environment(Map.of())
          .build()) {

        ChatResponse r = baton.chat("Hello, fallback models!");

        assertThat(r.text()).isEqualTo("Hi from the fallback");
        assertThat(r.model()).isEqualTo("cloud");
        assertThat(r.attempts()).extracting(Attempt::model).containsExactly("local", "cloud");
        assertThat(r.attempts()).extracting(Attempt::outcome)
            .containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
        assertThat(local.lastRequest().target()).isEqualTo("/api/chat");
      }
    }
  }

  @Test
  void aModelNotPulledFallsBackWithoutRetrying() {
    try (FakeUpstream local = FakeUpstream.start(); FakeUpstream cloud = FakeUpstream.start()) {
      local.always(Reply.json(404, error("model \"llama3.2\" not found, try pulling it first")));
      cloud.always(Reply.json(200, chatCompletion("cloud-model", "pulled elsewhere")));
      try (Baton baton = Baton.builder()
          .model(Ollama.deployment(local).build())
          .model(openAi("cloud", cloud))
          .fallbacks("local", "cloud")
          .retries(2)
          .environment(Map.of())
          .build()) {

        ChatResponse r = baton.chat("hi");

        assertThat(r.model()).isEqualTo("cloud");
        assertThat(local.requests()).as("a missing model is not retried").hasSize(1);
      }
    }
  }

  @Test
  void aStreamFromOllamaIsServedThroughTheSdk() {
    try (FakeUpstream local = FakeUpstream.start()) {
      local.always(ndjson(chatLine("Hel"), chatLine("lo!"), doneLine("stop", 3, 2)));
      try (Baton baton = Baton.builder().model(Ollama.deployment(local).build()).environment(Map.of()).build();
          ChatStream s = baton.stream("hi")) {
        StringBuilder text = new StringBuilder();
        for (ChatChunk c : s) {
          text.append(c.text());
        }
        assertThat(text.toString()).isEqualTo("Hello!");
        assertThat(s.usage()).isNotNull();
      }
    }
  }

  @Test
  void aStreamCutMidAnswerIsFinishedByTheFallback() {
    try (FakeUpstream local = FakeUpstream.start(); FakeUpstream cloud = FakeUpstream.start()) {
      local.always(ndjson(chatLine("one "), chatLine("two "), chatLine("three "),
          doneLine("stop", 3, 3)).cutAfter(2));
      // The fallback counts anew: what Ollama already sent is skipped.
      cloud.always(Reply.sse(stream("cloud-model", "one two", " three")));
      try (Baton baton = Baton.builder()
          .model(Ollama.deployment(local).build())
          .model(openAi("cloud", cloud))
          .fallbacks("local", "cloud")
          .retries(0)
          .environment(Map.of())
          .build();
          ChatStream s = baton.stream("count")) {

        ChatResponse whole = s.collect();

        assertThat(whole.text()).isEqualTo("one two three");
        assertThat(whole.model()).isEqualTo("cloud");
      }
    }
  }

  @Test
  void providerSlashModelStringsFindOllamaThroughOllamaHost() {
    try (FakeUpstream local = FakeUpstream.start()) {
      local.always(Reply.json(200, chatAnswer("from the env")));
      try (Baton baton = Baton.builder().models("ollama/llama3.2")
          .environment(Map.of("OLLAMA_HOST", "127.0.0.1:" + local.port())).build()) {

        ChatResponse r = baton.chat("hi");

        assertThat(r.text()).isEqualTo("from the env");
        assertThat(r.model()).isEqualTo("ollama/llama3.2");
      }
    }
  }
}
