package dev.baton.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.Attempt;
import dev.baton.Baton;
import dev.baton.ChatChunk;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.ChatStream;
import dev.baton.CompletionRequest;
import dev.baton.ConfigException;
import dev.baton.ConnectionFailedException;
import dev.baton.ContextWindowExceededException;
import dev.baton.EmbeddingResponse;
import dev.baton.config.ModelConfig;
import dev.baton.testkit.TinyGguf;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK with baton-local on the classpath: the onnx/... and gguf:... model strings, fallbacks, config files. */
class LocalModelsThroughBatonTest {

  @TempDir static Path dir;
  static Path model;

  @BeforeAll
  static void writeModel() throws IOException {
    model = TinyGguf.model().writeTo(Files.createDirectories(dir.resolve("models")).resolve("tiny.gguf"));
  }

  /** An OpenAI endpoint on this machine where nothing listens: the network is gone. */
  static Map<String, String> offline() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    return Map.of("OPENAI_API_KEY", "sk-test-not-used", "OPENAI_BASE_URL", "http://127.0.0.1:" + port + "/v1");
  }

  @Test
  void theBundledEmbeddingModelEmbedsWithNoNetworkAndNoKey() {
    try (Baton baton = Baton.builder().environment(Map.of()).models("onnx/all-minilm-l6-v2").build()) {
      EmbeddingResponse r = baton.embed(java.util.List.of("This is an example sentence", "Each sentence is converted"));

      assertThat(r.vectors()).hasSize(2);
      assertThat(r.vector()).hasSize(384);
      assertThat(r.model()).isEqualTo("onnx/all-minilm-l6-v2");
      assertThat(r.usage().promptTokens()).isEqualTo(7 + 6);
    }
  }

  @Test
  void fallsBackToTheLocalModelWhenTheNetworkIsGone() throws IOException {
    String local = "gguf:" + model;
    try (Baton baton = Baton.builder().environment(offline()).retries(1).models("openai/gpt-4o", local).build()) {
      ChatResponse r = baton.chat(ChatRequest.builder().user("Hello, fallback models!").maxTokens(8).build());

      assertThat(r.model()).isEqualTo(local);
      assertThat(r.text()).hasSize(8);
      assertThat(r.usage().completionTokens()).isEqualTo(8);
      assertThat(r.attempts()).extracting(Attempt::model, Attempt::outcome).containsExactly(
          org.assertj.core.groups.Tuple.tuple("openai/gpt-4o", Attempt.Outcome.FAILED),
          org.assertj.core.groups.Tuple.tuple("openai/gpt-4o", Attempt.Outcome.FAILED),
          org.assertj.core.groups.Tuple.tuple(local, Attempt.Outcome.SUCCEEDED));
      assertThat(r.attempts().get(0).error()).isInstanceOf(ConnectionFailedException.class);
    }
  }

  @Test
  void aStreamFallsBackToTheLocalModelToo() throws IOException {
    String local = "gguf:" + model;
    try (Baton baton = Baton.builder().environment(offline()).retries(0).models("openai/gpt-4o", local).build();
        ChatStream stream = baton.stream(ChatRequest.builder().user("Stream it").maxTokens(6).includeUsage(true)
            .build())) {
      StringBuilder text = new StringBuilder();
      ChatChunk last = null;
      for (ChatChunk c : stream) {
        text.append(c.text());
        last = c;
      }

      assertThat(text).hasSize(6);
      assertThat(last.usage().completionTokens()).isEqualTo(6);
      assertThat(stream.model()).isEqualTo(local);
    }
  }

  @Test
  void completionsAnswerFromTheFileWithoutItsChatTemplate() {
    try (Baton baton = Baton.builder().environment(Map.of()).models("gguf:" + model).build()) {
      var r = baton.complete(CompletionRequest.builder().prompt("Once upon a time").maxTokens(4).build());

      assertThat(r.text()).hasSize(4);
      assertThat(r.usage().promptTokens()).isEqualTo(TinyGguf.promptTokens("Once upon a time"));
    }
  }

  @Test
  void aPromptTooLongForTheLocalModelGoesToItsContextWindowFallback() {
    try (Baton baton = Baton.builder().environment(Map.of())
        .model(ModelConfig.builder("local", "gguf", model.toString()).option("context_size", "64").build())
        .model("long", "mock/long-context")
        .contextWindowFallbacks("local", "long")
        .build()) {
      ChatResponse r = baton.chat(ChatRequest.builder().model("local").user("x".repeat(200)).build());

      assertThat(r.model()).isEqualTo("long");
      assertThat(r.attempts().get(0).error()).isInstanceOf(ContextWindowExceededException.class);
      assertThat(r.attempts().get(0).deployment()).isEqualTo("local");
    }
  }

  @Test
  void aMissingModelFileIsAConfigErrorNamingThePath() {
    Path missing = dir.resolve("models/qwen2.5-0.5b.gguf");

    assertThatThrownBy(() -> Baton.builder().models("openai/gpt-4o", "gguf:" + missing)
        .environment(Map.of("OPENAI_API_KEY", "sk-test")).build())
        .isInstanceOf(ConfigException.class)
        .hasMessage("model 'gguf:" + missing + "': model '" + missing + "' does not exist");
  }

  @Test
  void aConfigFileNamesModelFilesRelativeToItsFolder() throws IOException {
    Path config = Files.writeString(dir.resolve("baton.yaml"), """
        models:
          - name: local
            provider: gguf
            model: tiny
            model_path: models/tiny.gguf
            max_concurrency: 2
          - name: embed
            provider: onnx
            model: all-minilm-l6-v2
        """);

    try (Baton baton = Baton.fromConfig(config)) {
      assertThat(baton.config().models().get(0).option("model_path")).isEqualTo(model.toString());
      assertThat(baton.chat(ChatRequest.builder().user("hi").maxTokens(3).build()).text()).hasSize(3);
      assertThat(baton.embed(dev.baton.EmbeddingRequest.of("embed", java.util.List.of("hi"))).vector()).hasSize(384);
    }
  }

  @Test
  void aConfigFileWithBadLocalSettingsSaysWhereAndWhat() throws IOException {
    Path config = Files.writeString(dir.resolve("bad.yaml"), """
        models:
          - name: local
            provider: gguf
            model: tiny
            model_path: models/missing.gguf
          - name: other
            provider: gguf
            model: tiny
            model_pth: models/tiny.gguf
        """);

    assertThatThrownBy(() -> Baton.fromConfig(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bad.yaml:9: models[1].model_pth: unknown key 'model_pth'; did you mean 'model_path'?");
    Path fixed = Files.writeString(dir.resolve("bad.yaml"), Files.readString(config).replace("model_pth", "model_path"));
    assertThatThrownBy(() -> Baton.fromConfig(fixed))
        .isInstanceOf(ConfigException.class)
        .hasMessage("bad.yaml:2: models[0] 'local': model_path '" + dir.resolve("models/missing.gguf")
            + "' does not exist");
  }
}
