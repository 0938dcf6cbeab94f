package dev.baton.server;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static dev.baton.testkit.OpenAiFixtures.embeddings;
import static dev.baton.testkit.OpenAiFixtures.error;
import static dev.baton.testkit.OpenAiFixtures.numberedStream;
import static dev.baton.testkit.OpenAiFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.baton.testkit.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway driven by the official OpenAI Java SDK, as any OpenAI client would drive it. */
class OpenAiClientTest {

  TestGateway env;
  OpenAIClient client;

  @BeforeEach
  void start() {
    env = new TestGateway("""
          master_key: gateway-master-key
        """);
    client = OpenAIOkHttpClient.builder()
        .baseUrl(env.url("/v1"))
        .apiKey("gateway-master-key")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(20))
        .build();
  }

  @AfterEach
  void stop() {
    client.close();
    env.close();
  }

  static ChatCompletionCreateParams chat(String model, String message) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(message).build();
  }

  @Test
  void answersFromTheFallbackAndSaysSo() {
    env.primary.always(Reply.json(503, error("overloaded", "server_error", null)));
    env.fallback.always(Reply.json(200, chatCompletion("fallback-model-2024", "Hello from the fallback")));

    HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse()
        .create(chat("primary", "Hello, fallback models!"));
    ChatCompletion completion = raw.parse();

    assertThat(completion.choices().get(0).message().content()).hasValue("Hello from the fallback");
    assertThat(completion.model()).as("the model that actually answered").isEqualTo("fallback-model-2024");
    assertThat(raw.headers().values("x-baton-model")).containsExactly("fallback");
    assertThat(raw.headers().values("x-baton-attempts")).containsExactly("3");
  }

  @Test
  void theCallersKeyNeverReachesTheUpstreamAndEachUpstreamGetsItsOwn() {
    env.primary.always(Reply.json(503, error("overloaded", "server_error", null)));
    env.fallback.always(Reply.json(200, chatCompletion("fallback-model", "ok")));

    client.chat().completions().create(chat("primary", "hi"));

    assertThat(env.primary.lastRequest().header("authorization")).isEqualTo("Bearer " + TestGateway.PRIMARY_KEY);
    assertThat(env.fallback.lastRequest().header("authorization")).isEqualTo("Bearer " + TestGateway.FALLBACK_KEY);
    assertThat(env.primary.requests()).allSatisfy(r -> assertThat(r.headers().toString())
        .doesNotContain("gateway-master-key"));
  }

  @Test
  void streamsEachChunkAndContinuesABrokenStreamFromTheFallback() {
    env.primary.always(Reply.sse(numberedStream("primary-model", 30)).cutAfter(11));
    // The fallback answers the question anew; what the caller already has is skipped.
    env.fallback.always(Reply.sse(numberedStream("fallback-model", 30)));
    StringBuilder text = new StringBuilder();

    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chat("primary", "count"))) {
      s.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
    }

    assertThat(text.toString()).as("t0 .. t9 from the primary, then t10 .. t29 from the fallback, each once")
        .isEqualTo(dev.baton.testkit.OpenAiFixtures.numberedText(0, 30));
  }

  @Test
  void streamsEndWithUsageWhenAsked() {
    env.fallback.always(Reply.sse(stream("fallback-model", "a", "b")));
    List<ChatCompletionChunk> chunks = new ArrayList<>();

    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("fallback").addUserMessage("hi")
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      s.stream().forEach(chunks::add);
    }

    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage()).isPresent();
    assertThat(last.usage().get().completionTokens()).isEqualTo(2);
  }

  @Test
  void aStreamThatCannotBeCompletedEndsWithAnErrorTheSdkRaises() {
    env.special.always(Reply.sse(numberedStream("special-model", 30)).cutAfter(5));
    List<String> seen = new ArrayList<>();

    Throwable thrown = catchThrowableOfType(RuntimeException.class, () -> {
      try (StreamResponse<ChatCompletionChunk> s = client.chat().completions()
          .createStreaming(chat("special", "count"))) {
        s.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().filter(t -> !t.isEmpty()).ifPresent(seen::add)));
      }
    });

    assertThat(thrown).as("never a truncated answer that looks complete").isNotNull();
    assertThat(seen).startsWith("t0 ");
  }

  @Test
  void completesLegacyPrompts() {
    env.fallback.always(Reply.json(200, "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,"
        + "\"model\":\"fallback-model\",\"choices\":[{\"index\":0,\"text\":\" a time\",\"logprobs\":null,"
        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}"));

    Completion c = client.completions().create(CompletionCreateParams.builder()
        .model(CompletionCreateParams.Model.of("fallback")).prompt("Once upon").build());

    assertThat(c.choices().get(0).text()).isEqualTo(" a time");
    assertThat(env.fallback.lastRequest().path()).isEqualTo("/v1/completions");
  }

  @Test
  void streamsLegacyCompletions() {
    env.fallback.always(Reply.sse(List.of(
        "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"fallback-model\","
            + "\"choices\":[{\"index\":0,\"text\":\" a\",\"logprobs\":null,\"finish_reason\":null}]}\n\n",
        "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"fallback-model\","
            + "\"choices\":[{\"index\":0,\"text\":\" time\",\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n",
        "data: [DONE]\n\n")));
    StringBuilder text = new StringBuilder();

    try (StreamResponse<Completion> s = client.completions().createStreaming(CompletionCreateParams.builder()
        .model(CompletionCreateParams.Model.of("fallback")).prompt("Once upon").build())) {
      s.stream().forEach(c -> c.choices().forEach(choice -> text.append(choice.text())));
    }

    assertThat(text.toString()).isEqualTo(" a time");
  }

  @Test
  void embedsWithTheSdksDefaultBase64AndWithFloats() {
    env.fallback.always(Reply.json(200, embeddings("fallback-model", new float[] {0.5f, -0.25f, 1.5f})));

    CreateEmbeddingResponse byDefault = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("fallback").input("some text").build());
    CreateEmbeddingResponse asFloats = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("fallback").input("some text").encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());

    assertThat(byDefault.data().get(0).embedding()).containsExactly(0.5f, -0.25f, 1.5f);
    assertThat(asFloats.data().get(0).embedding()).containsExactly(0.5f, -0.25f, 1.5f);
  }

  @Test
  void listsEachPublicModelOnce() {
    List<String> ids = new ArrayList<>();

    client.models().list().autoPager().forEach(m -> ids.add(m.id()));
    Model one = client.models().retrieve("special");

    assertThat(ids).containsExactly("primary", "fallback", "special");
    assertThat(one.id()).isEqualTo("special");
  }

  @Test
  void anUnknownModelIsNotFoundWithModelNotFound() {
    NotFoundException e = catchThrowableOfType(NotFoundException.class,
        () -> client.chat().completions().create(chat("gpt-9", "hi")));

    assertThat(e.statusCode()).isEqualTo(404);
    assertThat(e.code()).hasValue("model_not_found");
  }

  @Test
  void aWrongMasterKeyIsUnauthorized() {
    OpenAIClient intruder = OpenAIOkHttpClient.builder().baseUrl(env.url("/v1")).apiKey("wrong")
        .maxRetries(0).build();
    try {

      UnauthorizedException e = catchThrowableOfType(UnauthorizedException.class,
          () -> intruder.chat().completions().create(chat("primary", "hi")));

      assertThat(e.statusCode()).isEqualTo(401);
      assertThat(env.primary.requests()).isEmpty();
    } finally {
      intruder.close();
    }
  }

  @Test
  void anUpstreamBadRequestIsPassedOn() {
    env.primary.always(Reply.json(400, error("'temperature' must be at most 2", "invalid_request_error", null)));

    BadRequestException e = catchThrowableOfType(BadRequestException.class,
        () -> client.chat().completions().create(chat("primary", "hi")));

    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.getMessage()).contains("'temperature' must be at most 2");
    assertThat(env.fallback.requests()).isEmpty();
  }

  @Test
  void rateLimitsEverywhereArriveAs429WithRetryAfter() {
    env.special.always(Reply.json(429, error("slow down", "rate_limit_error", "rate_limit_exceeded"))
        .header("retry-after", "20"));

    RateLimitException e = catchThrowableOfType(RateLimitException.class,
        () -> client.chat().completions().create(chat("special", "hi")));

    assertThat(e.statusCode()).isEqualTo(429);
    assertThat(e.headers().values("retry-after")).containsExactly("20");
  }

  @Test
  void serverErrorsEverywhereArriveWithTheLastStatusAndEveryModelNamed() {
    env.primary.always(Reply.json(503, error("primary down", "server_error", null)));
    env.fallback.always(Reply.json(500, error("fallback down", "server_error", null)));

    InternalServerException e = catchThrowableOfType(InternalServerException.class,
        () -> client.chat().completions().create(chat("primary", "hi")));

    assertThat(e.statusCode()).isEqualTo(500);
    assertThat(e.getMessage()).contains("primary").contains("fallback");
  }

  @Test
  void aSilentUpstreamEverywhereIsAGatewayTimeout() {
    env.special.always(Reply.silent());

    OpenAIServiceException e = catchThrowableOfType(OpenAIServiceException.class,
        () -> client.chat().completions().create(chat("special", "hi")));

    assertThat(e.statusCode()).isEqualTo(504);
  }
}
