package dev.baton.server;

import static dev.baton.testkit.AnthropicFixtures.TOOL_USE;
import static dev.baton.testkit.AnthropicFixtures.brokenTextStream;
import static dev.baton.testkit.AnthropicFixtures.message;
import static dev.baton.testkit.AnthropicFixtures.textStream;
import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.ToolUseBlock;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.baton.testkit.Reply;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The response cache on {@code /v1/messages}, driven by the official Anthropic Java SDK: an Anthropic
 * deployment's own message comes back from the cache as it came, and a hit is played as Anthropic's events
 * when the caller streams.
 */
class CacheMessagesTest {

  CacheGateway env;

  @BeforeEach
  void start() {
    env = new CacheGateway();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  static MessageCreateParams ask(String model, String text) {
    return MessageCreateParams.builder().model(model).maxTokens(256).addUserMessage(text).build();
  }

  HttpResponseFor<Message> create(MessageCreateParams params) {
    return env.anthropicClient.messages().withRawResponse().create(params);
  }

  /** A stream read through the SDK's accumulator, with its headers. */
  record Streamed(Message message, com.anthropic.core.http.Headers headers) {}

  Streamed stream(MessageCreateParams params) {
    HttpResponseFor<StreamResponse<RawMessageStreamEvent>> raw =
        env.anthropicClient.messages().withRawResponse().createStreaming(params);
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> s = raw.parse()) {
      s.stream().forEach(accumulator::accumulate);
    }
    return new Streamed(accumulator.message(), raw.headers());
  }

  static String text(Message message) {
    StringBuilder text = new StringBuilder();
    message.content().forEach(block -> block.text().ifPresent(t -> text.append(t.text())));
    return text.toString();
  }

  HttpResponse<String> raw(String body, String... headers) throws Exception {
    String[] all = new String[headers.length + 2];
    all[0] = "anthropic-version";
    all[1] = "2023-06-01";
    System.arraycopy(headers, 0, all, 2, headers.length);
    return env.post("/v1/messages", body, all);
  }

  @Test
  void anAnthropicMessageComesBackFromTheCacheAsItCame() throws Exception {
    env.anthropic.always(Reply.json(200, message("Hello from Claude", "end_turn")));
    String body = "{\"model\":\"claude\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    HttpResponse<String> first = raw(body);
    HttpResponse<String> second = raw(body);
    // The SDK sends its own anthropic-version, which may change the answer's shape: an entry of its own.
    create(MessageCreateParams.builder().model("claude").maxTokens(64).addUserMessage("Hi").build());
    HttpResponseFor<Message> viaSdk = create(MessageCreateParams.builder().model("claude").maxTokens(64)
        .addUserMessage("Hi").build());

    assertThat(first.headers().firstValue("x-baton-cache")).hasValue("miss");
    assertThat(second.headers().firstValue("x-baton-cache")).hasValue("hit");
    assertThat(second.headers().firstValue("x-baton-attempts")).hasValue("0");
    assertThat(second.headers().firstValue("x-baton-model")).hasValue("claude");
    assertThat(second.body()).as("byte for byte what Anthropic sent").isEqualTo(first.body());
    assertThat(viaSdk.headers().values("x-baton-cache")).containsExactly("hit");
    assertThat(text(viaSdk.parse())).isEqualTo("Hello from Claude");
    assertThat(viaSdk.parse().id()).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
    assertThat(env.anthropic.requests()).hasSize(2);
  }

  @Test
  void aCachedMessageIsPlayedAsAnthropicsEventsToAStreamingCaller() {
    env.anthropic.always(Reply.json(200, message("Hello, world", "end_turn")));
    create(ask("claude", "Greet me"));

    Streamed replay = stream(ask("claude", "Greet me"));

    assertThat(replay.headers().values("x-baton-cache")).containsExactly("hit");
    assertThat(replay.headers().values("x-baton-attempts")).containsExactly("0");
    assertThat(text(replay.message())).isEqualTo("Hello, world");
    assertThat(replay.message().stopReason()).hasValue(StopReason.END_TURN);
    assertThat(replay.message().usage().outputTokens()).isEqualTo(9);
    assertThat(env.anthropic.requests()).hasSize(1);
  }

  @Test
  void aStreamedMessageServesAPlainRequestOnceItCompleted() {
    env.anthropic.enqueue(Reply.sse(textStream("Hel", "lo", " there")));

    Streamed miss = stream(ask("claude", "Greet me"));
    HttpResponseFor<Message> plain = create(ask("claude", "Greet me"));

    assertThat(miss.headers().values("x-baton-cache")).containsExactly("miss");
    assertThat(text(miss.message())).isEqualTo("Hello there");
    assertThat(plain.headers().values("x-baton-cache")).containsExactly("hit");
    assertThat(text(plain.parse())).isEqualTo("Hello there");
    assertThat(plain.parse().stopReason()).hasValue(StopReason.END_TURN);
    assertThat(env.anthropic.requests()).hasSize(1);
  }

  @Test
  void aToolCallComesBackWholePlainAndStreamed() {
    env.anthropic.always(Reply.json(200, TOOL_USE));
    create(ask("claude", "Weather in San Francisco?"));

    Message plain = create(ask("claude", "Weather in San Francisco?")).parse();
    Streamed replay = stream(ask("claude", "Weather in San Francisco?"));

    ToolUseBlock call = plain.content().stream().map(ContentBlock::toolUse).flatMap(java.util.Optional::stream)
        .findFirst().orElseThrow();
    assertThat(call.name()).isEqualTo("get_weather");
    ToolUseBlock replayed = replay.message().content().stream().map(ContentBlock::toolUse)
        .flatMap(java.util.Optional::stream).findFirst().orElseThrow();
    assertThat(replayed.name()).isEqualTo("get_weather");
    assertThat(replayed._input().toString()).contains("San Francisco, CA");
    assertThat(replay.message().stopReason()).hasValue(StopReason.TOOL_USE);
    assertThat(text(replay.message())).isEqualTo("I'll check the current weather in San Francisco for you.");
    assertThat(env.anthropic.requests()).hasSize(1);
  }

  @Test
  void aTranslatedAnswerIsCachedToo() {
    env.openai.always(Reply.json(200, chatCompletion("smart-model", "Hello from a translated model")));

    create(ask("smart", "Hi"));
    HttpResponseFor<Message> hit = create(ask("smart", "Hi"));

    assertThat(hit.headers().values("x-baton-cache")).containsExactly("hit");
    assertThat(text(hit.parse())).isEqualTo("Hello from a translated model");
    assertThat(hit.parse().id()).startsWith("msg_");
    assertThat(env.openai.requests()).hasSize(1);
  }

  @Test
  void theChatAndMessagesRoutesKeepTheirOwnEntries() {
    env.openai.always(Reply.json(200, chatCompletion("smart-model", "Hello")));

    env.openAiClient.chat().completions().create(ChatCompletionCreateParams.builder().model("smart")
        .addUserMessage("Hi").build());
    HttpResponseFor<Message> messages = create(ask("smart", "Hi"));

    assertThat(messages.headers().values("x-baton-cache")).containsExactly("miss");
    assertThat(env.openai.requests()).hasSize(2);
  }

  @Test
  void theBetaFeaturesAskedForArePartOfTheKey() throws Exception {
    env.anthropic.always(Reply.json(200, message("ok", "end_turn")));
    String body = "{\"model\":\"claude\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    raw(body);
    HttpResponse<String> withBeta = raw(body, "anthropic-beta", "context-1m-2025-08-07");
    HttpResponse<String> streamFlagOnly = raw(body.replace("\"max_tokens\":64", "\"max_tokens\":64,\"stream\":false"));

    assertThat(withBeta.headers().firstValue("x-baton-cache")).hasValue("miss");
    assertThat(streamFlagOnly.headers().firstValue("x-baton-cache")).hasValue("hit");
    assertThat(env.anthropic.requests()).hasSize(2);
  }

  @Test
  void aBrokenStreamIsNeverStored() throws Exception {
    env.anthropic.enqueue(Reply.sse(brokenTextStream("Hel", "lo")));
    env.anthropic.always(Reply.json(200, message("A whole answer", "end_turn")));

    HttpResponse<String> broken = raw("{\"model\":\"claude\",\"max_tokens\":64,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    HttpResponseFor<Message> next = create(MessageCreateParams.builder().model("claude").maxTokens(64)
        .addUserMessage("Hi").build());

    assertThat(broken.body()).contains("event: error").doesNotContain("event: message_stop");
    assertThat(next.headers().values("x-baton-cache")).containsExactly("miss");
    assertThat(text(next.parse())).isEqualTo("A whole answer");
  }
}
