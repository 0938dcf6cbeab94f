package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.baton.testkit.TinyGguf;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway serving local model files (contract section 13), driven by the official OpenAI Java SDK: a
 * gguf model for chat and completions, and the bundled onnx model for embeddings, with an upstream that
 * cannot be reached falling back to the local model.
 */
class LocalModelsGatewayTest {

  @TempDir static Path dir;
  static Path model;
  static Gateway gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() throws IOException {
    model = TinyGguf.model().writeTo(dir.resolve("tiny.gguf"));
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    gateway = TestGateway.start("""
        server:
          host: 127.0.0.1
          port: 0
        models:
          - name: smart
            provider: openai-compatible
            model: gpt-4o
            api_base: http://127.0.0.1:%d/v1
            retries: 0
          - name: local
            provider: gguf
            model: tiny-local
            model_path: %s
            max_concurrency: 2
          - name: local-small
            provider: gguf
            model: tiny-small
            model_path: %s
            context_size: 64
          - name: embed
            provider: onnx
            model: all-minilm-l6-v2
        router:
          fallbacks:
            smart: [local]
        """.formatted(deadPort, model, model));
    client = OpenAIOkHttpClient.builder().baseUrl(gateway.url() + "/v1").apiKey("not-needed").maxRetries(0)
        .timeout(Duration.ofSeconds(30)).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    gateway.close();
  }

  static ChatCompletionCreateParams chat(String model, String message, long maxTokens) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(message).maxTokens(maxTokens)
        .temperature(0.0).build();
  }

  @Test
  void anUnreachableUpstreamFallsBackToTheLocalModel() {
    HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse()
        .create(chat("smart", "Hello, fallback models!", 9));
    ChatCompletion completion = raw.parse();

    assertThat(raw.headers().values("x-baton-model")).containsExactly("local");
    assertThat(raw.headers().values("x-baton-attempts")).containsExactly("2");
    assertThat(completion.model()).isEqualTo("tiny-local");
    assertThat(completion.choices().get(0).message().content().orElseThrow()).hasSize(9).matches("[a-z ]+");
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(9);
    assertThat(completion.usage().orElseThrow().promptTokens())
        .isEqualTo(TinyGguf.promptTokens("<|im_start|>user\nHello, fallback models!<|im_end|>\n<|im_start|>assistant\n"));
  }

  @Test
  void aStreamComesTokenByTokenWithItsUsage() {
    ChatCompletionCreateParams params = chat("local", "Stream please", 10).toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunks::add);
    }

    StringBuilder text = new StringBuilder();
    int tokenChunks = 0;
    for (ChatCompletionChunk c : chunks) {
      for (ChatCompletionChunk.Choice choice : c.choices()) {
        String delta = choice.delta().content().orElse("");
        text.append(delta);
        tokenChunks += delta.isEmpty() ? 0 : 1;
      }
    }
    assertThat(text).hasSize(10);
    assertThat(tokenChunks).isEqualTo(10);
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(10);
  }

  @Test
  void completionsAnswerFromTheFile() {
    Completion c = client.completions().create(CompletionCreateParams.builder()
        .model(CompletionCreateParams.Model.of("local")).prompt("Once upon a time").maxTokens(5L).temperature(0.0)
        .build());

    assertThat(c.choices().get(0).text()).hasSize(5);
    assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(TinyGguf.promptTokens("Once upon a time"));
  }

  @Test
  void aPromptLongerThanTheLocalContextIsTheContextLengthError() {
    BadRequestException e = catchThrowableOfType(BadRequestException.class,
        () -> client.chat().completions().create(chat("local-small", "x".repeat(300), 5)));

    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.code()).hasValue("context_length_exceeded");
    assertThat(e.getMessage()).contains("This model's maximum context length is 64 tokens");
  }

  @Test
  void embeddingsComeFromTheBundledModelAsBase64AndAsFloats() throws Exception {
    CreateEmbeddingResponse byDefault = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("embed").input("The gateway embeds in-process.").build());
    HttpResponse<String> floats = new TestGatewayHttp(gateway).post("/v1/embeddings",
        "{\"model\":\"embed\",\"input\":[\"The gateway embeds in-process.\"],\"encoding_format\":\"float\"}");

    assertThat(floats.statusCode()).isEqualTo(200);
    assertThat(floats.headers().firstValue("x-baton-model")).hasValue("embed");
    JsonNode body = new ObjectMapper().readTree(floats.body());
    assertThat(body.path("model").asText()).isEqualTo("all-minilm-l6-v2");
    JsonNode asFloats = body.path("data").get(0).path("embedding");
    List<Float> decoded = byDefault.data().get(0).embedding();
    assertThat(decoded).hasSize(384);
    assertThat(asFloats).hasSize(384);
    for (int i = 0; i < 384; i++) {
      assertThat(decoded.get(i)).isCloseTo((float) asFloats.get(i).asDouble(), within(1e-6f));
    }
    assertThat(body.path("usage").path("prompt_tokens").asInt()).isPositive();
  }

  @Test
  void dimensionsShortenTheVectors() {
    CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("embed").input("short").dimensions(128L).build());

    List<Float> v = r.data().get(0).embedding();
    assertThat(v).hasSize(128);
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
  }

  @Test
  void theModelListNamesTheLocalModels() {
    List<String> ids = client.models().list().data().stream().map(Model::id).toList();

    assertThat(ids).contains("local", "local-small", "embed");
  }

  @Test
  void checkNamesAMissingModelFileAndExitsTwo() throws IOException {
    Path config = Files.writeString(dir.resolve("missing.yaml"), """
        models:
          - name: local
            provider: gguf
            model: qwen
            model_path: models/qwen2.5-0.5b-instruct-q4_k_m.gguf
        """);

    CommandTest.Run check = CommandTest.run("check", "--config", config.toString());

    assertThat(check.exit()).isEqualTo(2);
    assertThat(check.err()).contains("missing.yaml:2: models[0] 'local': model_path '"
        + dir.resolve("models/qwen2.5-0.5b-instruct-q4_k_m.gguf") + "' does not exist");
  }

  @Test
  void checkAcceptsLocalModels() throws IOException {
    Path config = Files.writeString(dir.resolve("local.yaml"), """
        models:
          - name: local
            provider: gguf
            model: tiny
            model_path: tiny.gguf
          - name: embed
            provider: onnx
            model: all-minilm-l6-v2
        """);

    CommandTest.Run check = CommandTest.run("check", "--config", config.toString());

    assertThat(check.exit()).as(check.err()).isZero();
    assertThat(check.out()).contains("local  gguf/tiny").contains("embed  onnx/all-minilm-l6-v2");
  }

  /** Plain HTTP to the gateway, for what the SDK hides (the float encoding as sent). */
  record TestGatewayHttp(Gateway gateway) {
    HttpResponse<String> post(String path, String body) throws Exception {
      try (java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
          .version(java.net.http.HttpClient.Version.HTTP_1_1).build()) {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway.url() + path))
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
      }
    }
  }
}
