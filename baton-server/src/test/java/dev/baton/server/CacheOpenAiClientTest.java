package dev.baton.server;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static dev.baton.testkit.OpenAiFixtures.error;
import static dev.baton.testkit.OpenAiFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.Reply;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The response cache through the gateway, driven by the official OpenAI Java SDK: Chat Completions plain and
 * streamed, legacy completions and embeddings, over fake upstreams that count their calls.
 */
class CacheOpenAiClientTest {

  CacheGateway env;

  @BeforeEach
  void start() {
    env = new CacheGateway();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  static ChatCompletionCreateParams ask(String model, String text) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(text).temperature(0.0).build();
  }

  static ChatCompletionCreateParams ask(String model, String text, String cacheControl) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(text).temperature(0.0)
        .putAdditionalHeader("Cache-Control", cacheControl).build();
  }

  HttpResponseFor<ChatCompletion> chat(ChatCompletionCreateParams params) {
    return env.openAiClient.chat().completions().withRawResponse().create(params);
  }

  static String text(ChatCompletion completion) {
    return completion.choices().get(0).message().content().orElse("");
  }

  /** A streamed answer read through the SDK: its chunks and its headers. */
  record Streamed(List<ChatCompletionChunk> chunks, com.openai.core.http.Headers headers) {
    String text() {
      StringBuilder text = new StringBuilder();
      chunks.forEach(c -> c.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
      return text.toString();
    }
  }

  Streamed streamed(ChatCompletionCreateParams params) {
    HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw =
        env.openAiClient.chat().completions().withRawResponse().createStreaming(params);
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> s = raw.parse()) {
      s.stream().forEach(chunks::add);
    }
    return new Streamed(chunks, raw.headers());
  }

  @Test
  void aRepeatedRequestIsAnsweredFromTheCacheWithNoUpstreamCall() {
    env.openai.always(Reply.json(200, chatCompletion("smart-model-2024", "Paris is the capital of France.")));

    HttpResponseFor<ChatCompletion> first = chat(ask("smart", "Capital of France?"));
    HttpResponseFor<ChatCompletion> second = chat(ask("smart", "Capital of France?"));

    assertThat(first.headers().values("x-baton-cache")).containsExactly("miss");
    assertThat(first.headers().values("x-baton-attempts")).containsExactly("1");
    assertThat(second.headers().values("x-baton-cache")).containsExactly("hit");
    assertThat(second.headers().values("x-baton-attempts")).as("a hit makes no upstream call").containsExactly("0");
    assertThat(second.headers().values("x-baton-model")).containsExactly("smart");
    ChatCompletion cached = second.parse();
    assertThat(text(cached)).isEqualTo("Paris is the capital of France.");
    assertThat(cached.model()).isEqualTo("smart-model-2024");
    assertThat(cached.id()).isEqualTo(first.parse().id());
    assertThat(cached.usage().orElseThrow().totalTokens()).isEqualTo(18);
    assertThat(env.openai.requests()).as("upstream calls").hasSize(1);
  }

  @Test
  void aHitUsesNoTokens() throws Exception {
    env.openai.always(Reply.json(200, chatCompletion("smart-model", "Paris.")));
    chat(ask("smart", "Capital of France?"));
    String before = tokenLines();

    chat(ask("smart", "Capital of France?"));
    chat(ask("smart", "Capital of France?"));

    assertThat(tokenLines()).as("the tokens counted after two hits").isEqualTo(before).contains("in\",model=\"smart\"} 11.0");
  }

  /** The {@code baton_tokens_total} lines of {@code /metrics}. */
  String tokenLines() throws Exception {
    java.net.http.HttpResponse<String> metrics = env.http.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(env.gateway.url() + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    return String.join("\n", metrics.body().lines().filter(l -> l.startsWith("baton_tokens_total")).toList());
  }

  @Test
  void aPlainAnswerIsReplayedAsAWellFormedStream() {
    env.openai.always(Reply.json(200, chatCompletion("smart-model", "Hello, world")));
    chat(ask("smart", "Greet me"));

    Streamed replay = streamed(ChatCompletionCreateParams.builder().model("smart").addUserMessage("Greet me")
        .temperature(0.0).streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());

    assertThat(replay.headers().values("x-baton-cache")).containsExactly("hit");
    assertThat(replay.headers().values("x-baton-attempts")).containsExactly("0");
    assertThat(replay.headers().values("content-type").get(0)).startsWith("text/event-stream");
    assertThat(replay.text()).isEqualTo("Hello, world");
    assertThat(replay.chunks()).anySatisfy(c -> assertThat(c.choices()).anySatisfy(choice ->
        assertThat(choice.finishReason()).hasValue(ChatCompletionChunk.Choice.FinishReason.STOP)));
    ChatCompletionChunk last = replay.chunks().get(replay.chunks().size() - 1);
    assertThat(last.usage()).as("the usage chunk asked for").isPresent();
    assertThat(last.usage().get().completionTokens()).isEqualTo(7);
    assertThat(env.openai.requests()).hasSize(1);
  }

  @Test
  void aStreamedAnswerServesAPlainRequestOnceItCompleted() {
    env.openai.enqueue(Reply.sse(stream("smart-model", "Once", " upon", " a", " time")));

    Streamed miss = streamed(ask("smart", "Tell a story"));
    HttpResponseFor<ChatCompletion> plain = chat(ask("smart", "Tell a story"));

    assertThat(miss.headers().values("x-baton-cache")).containsExactly("miss");
    assertThat(miss.text()).isEqualTo("Once upon a time");
    assertThat(plain.headers().values("x-baton-cache")).containsExactly("hit");
    assertThat(text(plain.parse())).isEqualTo("Once upon a time");
    assertThat(plain.parse().choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(env.openai.requests()).hasSize(1);
  }

  @Test
  void aStreamThatBreaksIsNeverStored() throws Exception {
    env.openai.enqueue(Reply.sse(stream("smart-model", "Once", " upon", " a", " time")).cutAfter(2));
    env.fallback.always(Reply.json(503, error("down", "server_error", null)));

    HttpResponse<String> broken = env.post("/v1/chat/completions",
        "{\"model\":\"smart\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Tell a story\"}]}");
    env.openai.always(Reply.json(200, chatCompletion("smart-model", "A whole story.")));
    HttpResponseFor<ChatCompletion> next = chat(ChatCompletionCreateParams.builder().model("smart")
        .addUserMessage("Tell a story").build());

    assertThat(broken.body()).contains("\"error\"").doesNotContain("[DONE]");
    assertThat(next.headers().values("x-baton-cache")).containsExactly("miss");
    assertThat(text(next.parse())).isEqualTo("A whole story.");
  }

  @Test
  void theOrderOfFieldsAndTheUserAndMetadataDoNotMatterButTheTemperatureDoes() throws Exception {
    env.openai.always(Reply.json(200, chatCompletion("smart-model", "ok")));

    HttpResponse<String> first = env.post("/v1/chat/completions",
        "{\"model\":\"smart\",\"temperature\":0.5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    HttpResponse<String> reordered = env.post("/v1/chat/completions",
        "{\"messages\":[{\"content\":\"Hi\",\"role\":\"user\"}],\"user\":\"alice\",\"metadata\":{\"k\":\"v\"},"
            + "\"temperature\":0.50,\"model\":\"smart\"}");
    HttpResponse<String> hotter = env.post("/v1/chat/completions",
        "{\"model\":\"smart\",\"temperature\":0.9,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(first.headers().firstValue("x-baton-cache")).hasValue("miss");
    assertThat(reordered.headers().firstValue("x-baton-cache")).hasValue("hit");
    assertThat(hotter.headers().firstValue("x-baton-cache")).hasValue("miss");
    assertThat(env.openai.requests()).hasSize(2);
  }

  @Test
  void cacheControlNoCacheRefreshesNoStoreBypassesAndMaxAgeBoundsTheAge() {
    env.openai.enqueue(Reply.json(200, chatCompletion("smart-model", "first")),
        Reply.json(200, chatCompletion("smart-model", "refreshed")),
        Reply.json(200, chatCompletion("smart-model", "private")),
        Reply.json(200, chatCompletion("smart-model", "fresh")));
    chat(ask("smart", "News?"));

    HttpResponseFor<ChatCompletion> noCache = chat(ask("smart", "News?", "no-cache"));
    HttpResponseFor<ChatCompletion> afterNoCache = chat(ask("smart", "News?"));
    HttpResponseFor<ChatCompletion> noStore = chat(ask("smart", "News?", "no-store"));
    HttpResponseFor<ChatCompletion> afterNoStore = chat(ask("smart", "News?"));
    HttpResponseFor<ChatCompletion> youngEnough = chat(ask("smart", "News?", "max-age=3600"));
    HttpResponseFor<ChatCompletion> tooOld = chat(ask("smart", "News?", "max-age=0"));

    assertThat(noCache.headers().values("x-baton-cache")).containsExactly("miss");
    assertThat(text(noCache.parse())).isEqualTo("refreshed");
    assertThat(text(afterNoCache.parse())).as("no-cache stored its fresh answer").isEqualTo("refreshed");
    assertThat(noStore.headers().values("x-baton-cache")).containsExactly("bypass");
    assertThat(text(noStore.parse())).isEqualTo("private");
    assertThat(text(afterNoStore.parse())).as("no-store stored nothing").isEqualTo("refreshed");
    assertThat(youngEnough.headers().values("x-baton-cache")).containsExactly("hit");
    assertThat(tooOld.headers().values("x-baton-cache")).containsExactly("miss");
    assertThat(text(tooOld.parse())).isEqualTo("fresh");
    assertThat(env.openai.requests()).hasSize(4);
  }

  @Test
  void aModelTheCacheDoesNotCoverIsABypass() {
    env.other.always(Reply.json(200, chatCompletion("other-model", "uncached")));

    chat(ask("uncached", "Hi"));
    HttpResponseFor<ChatCompletion> second = chat(ask("uncached", "Hi"));

    assertThat(second.headers().values("x-baton-cache")).containsExactly("bypass");
    assertThat(second.headers().values("x-baton-attempts")).containsExactly("1");
    assertThat(env.other.requests()).hasSize(2);
  }

  @Test
  void aFallbacksAnswerIsStoredUnderTheModelAskedFor() {
    env.openai.always(Reply.json(503, error("overloaded", "server_error", null)));
    env.fallback.always(Reply.json(200, chatCompletion("fast-model", "from the fallback")));

    HttpResponseFor<ChatCompletion> first = chat(ask("smart", "Q?"));
    HttpResponseFor<ChatCompletion> second = chat(ask("smart", "Q?"));

    assertThat(first.headers().values("x-baton-model")).containsExactly("fast");
    assertThat(second.headers().values("x-baton-cache")).containsExactly("hit");
    assertThat(second.headers().values("x-baton-model")).as("the model that answered").containsExactly("fast");
    assertThat(text(second.parse())).isEqualTo("from the fallback");
    assertThat(env.openai.requests()).as("the failing model is not asked again").hasSize(1);
    assertThat(env.fallback.requests()).hasSize(1);
  }

  @Test
  void anErrorIsNeverStoredAndSaysItWasAMiss() {
    env.openai.enqueue(Reply.json(400, error("max_tokens is too large", "invalid_request_error", null)));
    env.openai.always(Reply.json(200, chatCompletion("smart-model", "ok now")));

    BadRequestException refused = catchThrowableOfType(BadRequestException.class,
        () -> env.openAiClient.chat().completions().create(ask("smart", "Q?")));
    HttpResponseFor<ChatCompletion> next = chat(ask("smart", "Q?"));

    assertThat(refused.headers().values("x-baton-cache")).containsExactly("miss");
    assertThat(next.headers().values("x-baton-cache")).containsExactly("miss");
    assertThat(text(next.parse())).isEqualTo("ok now");
    assertThat(env.openai.requests()).hasSize(2);
  }

  @Test
  void legacyCompletionsAreCachedAndReplayedAsAStream() {
    env.openai.always(Reply.json(200, "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1700000000,"
        + "\"model\":\"smart-model\",\"choices\":[{\"text\":\" upon a time\",\"index\":0,\"logprobs\":null,"
        + "\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":4,\"total_tokens\":5}}"));
    CompletionCreateParams params = CompletionCreateParams.builder().model("smart").prompt("Once").maxTokens(4).build();

    env.openAiClient.completions().create(params);
    HttpResponseFor<Completion> hit = env.openAiClient.completions().withRawResponse().create(params);
    StringBuilder replayed = new StringBuilder();
    try (StreamResponse<Completion> s = env.openAiClient.completions().createStreaming(params)) {
      s.stream().forEach(c -> c.choices().forEach(choice -> replayed.append(choice.text())));
    }

    assertThat(hit.headers().values("x-baton-cache")).containsExactly("hit");
    assertThat(hit.parse().choices().get(0).text()).isEqualTo(" upon a time");
    assertThat(replayed.toString()).isEqualTo(" upon a time");
    assertThat(env.openai.requests()).hasSize(1);
  }

  @Test
  void embeddingsAreCachedWhateverEncodingTheCallerAsks() throws Exception {
    env.openai.always(Reply.json(200, OpenAiFixtures.embeddings("smart-model", new float[] {0.5f, -0.25f, 0.125f})));

    HttpResponseFor<CreateEmbeddingResponse> viaSdk = env.openAiClient.embeddings().withRawResponse()
        .create(EmbeddingCreateParams.builder().model("smart").input("some text").build());
    HttpResponse<String> asFloats = env.post("/v1/embeddings",
        "{\"model\":\"smart\",\"input\":\"some text\",\"encoding_format\":\"float\"}");

    assertThat(viaSdk.headers().values("x-baton-cache")).containsExactly("miss");
    assertThat(viaSdk.parse().data().get(0).embedding()).containsExactly(0.5f, -0.25f, 0.125f);
    assertThat(asFloats.headers().firstValue("x-baton-cache")).hasValue("hit");
    assertThat(asFloats.body()).contains("[0.5,-0.25,0.125]");
    assertThat(env.openai.requests()).hasSize(1);
  }
}
