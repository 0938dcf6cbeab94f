package dev.baton.provider.anthropic;

import static dev.baton.provider.anthropic.Harness.call;
import static dev.baton.provider.anthropic.Harness.drain;
import static dev.baton.testkit.AnthropicFixtures.MESSAGE_STOP;
import static dev.baton.testkit.AnthropicFixtures.PING;
import static dev.baton.testkit.AnthropicFixtures.blockStop;
import static dev.baton.testkit.AnthropicFixtures.brokenTextStream;
import static dev.baton.testkit.AnthropicFixtures.error;
import static dev.baton.testkit.AnthropicFixtures.event;
import static dev.baton.testkit.AnthropicFixtures.message;
import static dev.baton.testkit.AnthropicFixtures.messageDelta;
import static dev.baton.testkit.AnthropicFixtures.messageStart;
import static dev.baton.testkit.AnthropicFixtures.textDelta;
import static dev.baton.testkit.AnthropicFixtures.textStart;
import static dev.baton.testkit.AnthropicFixtures.textStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.ChatChunk;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.ConnectionFailedException;
import dev.baton.ContentPolicyException;
import dev.baton.FinishReason;
import dev.baton.RateLimitedException;
import dev.baton.provider.MessagesBody;
import dev.baton.provider.MessagesNative;
import dev.baton.provider.Provider;
import dev.baton.testkit.Reply;
import dev.baton.wire.RawObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A caller's own Messages body, passed through: the bytes go up with only {@code model} rewritten and the
 * caller's version and beta headers, and the answer comes back in Anthropic's bytes beside what the router
 * reads of it.
 */
class AnthropicPassthroughTest {

  static final String BODY = "{\"model\":\"claude\",\"max_tokens\":512,\"thinking\":{\"type\":\"enabled\","
      + "\"budget_tokens\":256},\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\","
      + "\"cache_control\":{\"type\":\"ephemeral\"}}]}],\"fallbacks\":[\"gpt\"]}";

  /** The body as the gateway's Messages door keeps it: the bytes, and where each top-level field lies. */
  static MessagesBody body(String json, String version, String beta) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    List<RawObject.Field> fields = new ArrayList<>();
    try (var p = dev.baton.wire.Json.MAPPER.createParser(bytes)) {
      p.nextToken();
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String name = p.currentName();
        int start = (int) p.currentTokenLocation().getByteOffset();
        p.nextToken();
        int valueStart = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        fields.add(new RawObject.Field(name, start, valueStart, (int) p.currentLocation().getByteOffset()));
      }
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    return new MessagesBody(new RawObject(bytes, fields), version, beta, null);
  }

  static ChatRequest request(MessagesBody body) {
    return ChatRequest.builder().model("claude").user("Hi").maxTokens(512).source(body).build();
  }

  @Test
  void sendsTheCallersBytesWithOnlyTheModelRewrittenAndItsHeaders() {
    try (Harness h = new Harness()) {
      h.upstream.always(Reply.json(200, message("Hello", "end_turn")));

      ChatResponse answer = h.provider().chat(request(body(BODY, "2023-06-01", "interleaved-thinking-2025-05-14")),
          call());

      assertThat(h.upstream.lastRequest().bodyText()).isEqualTo(BODY
          .replace("\"model\":\"claude\"", "\"model\":\"" + Harness.MODEL + "\"").replace(",\"fallbacks\":[\"gpt\"]", ""));
      assertThat(h.upstream.lastRequest().header("anthropic-version")).isEqualTo("2023-06-01");
      assertThat(h.upstream.lastRequest().header("anthropic-beta")).isEqualTo("interleaved-thinking-2025-05-14");
      assertThat(h.upstream.lastRequest().header("x-api-key")).isEqualTo(Harness.KEY);
      assertThat(new String(answer.upstreamBody(), StandardCharsets.UTF_8)).isEqualTo(message("Hello", "end_turn"));
      assertThat(answer.text()).isEqualTo("Hello");
      assertThat(answer.usage().promptTokens()).isEqualTo(12);
    }
  }

  @Test
  void aPassedThroughMessageIsReadAsATranslatedOneIs() throws Exception {
    for (String fixture : List.of(message("Hello", "end_turn"), dev.baton.testkit.AnthropicFixtures.TOOL_USE,
        dev.baton.testkit.AnthropicFixtures.CACHED, message("cut", "max_tokens"))) {
      byte[] bytes = fixture.getBytes(StandardCharsets.UTF_8);

      ChatResponse streamed = MessagesResponse.passedThrough(bytes, "asked", 7);
      ChatResponse fromTree = MessagesResponse.chat(dev.baton.wire.Json.parse(bytes), "asked", new LeadingWhitespace(""),
          7, null);

      assertThat(streamed.upstreamBody()).isSameAs(bytes);
      assertThat(streamed.id()).isEqualTo(fromTree.id());
      assertThat(streamed.upstreamModel()).isEqualTo(fromTree.upstreamModel());
      assertThat(streamed.message()).isEqualTo(fromTree.message());
      assertThat(streamed.finishReason()).isEqualTo(fromTree.finishReason());
      assertThat(streamed.usage()).isEqualTo(fromTree.usage());
    }
  }

  @Test
  void aSuccessThatIsNoMessageFailsAsAnUnreadableAnswerOrAsTheErrorItReports() {
    try (Harness h = new Harness()) {
      h.upstream.enqueue(Reply.json(200, "<html>gateway</html>"), Reply.json(200, "{\"id\":\"msg_1\"}"),
          Reply.json(200, error("overloaded_error", "Overloaded")));
      Provider provider = h.provider();
      ChatRequest request = request(body(BODY, null, null));

      assertThatThrownBy(() -> provider.chat(request, call())).isInstanceOf(dev.baton.UnreadableResponseException.class)
          .hasMessageContaining("not JSON");
      assertThatThrownBy(() -> provider.chat(request, call())).isInstanceOf(dev.baton.UnreadableResponseException.class)
          .hasMessageContaining("no 'content' array");
      assertThatThrownBy(() -> provider.chat(request, call())).isInstanceOf(dev.baton.ServerErrorException.class).hasMessageContaining("Overloaded");
    }
  }

  @Test
  void withoutTheCallersVersionBatonsOwnIsSent() {
    try (Harness h = new Harness()) {
      h.upstream.always(Reply.json(200, message("Hello", "end_turn")));

      h.provider().chat(request(body(BODY, null, null)), call());

      assertThat(h.upstream.lastRequest().header("anthropic-version")).isEqualTo(AnthropicProvider.API_VERSION);
      assertThat(h.upstream.lastRequest().header("anthropic-beta")).isNull();
    }
  }

  @Test
  void failuresAreClassifiedAsForAnyAnthropicRequest() {
    try (Harness h = new Harness()) {
      h.upstream.always(Reply.json(429, error("rate_limit_error", "Number of request tokens has exceeded your"
          + " per-minute rate limit")).header("retry-after", "12"));

      assertThatThrownBy(() -> h.provider().chat(request(body(BODY, null, null)), call()))
          .isInstanceOf(RateLimitedException.class);
    }
  }

  @Test
  void aRefusalWithNothingSaidGoesToTheContentPolicyFallbacks() {
    try (Harness h = new Harness()) {
      h.upstream.always(Reply.json(200, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
          + "\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":\"refusal\",\"stop_sequence\":null,\"usage\":"
          + "{\"input_tokens\":10,\"output_tokens\":1}}"));

      assertThatThrownBy(() -> h.provider().chat(request(body(BODY, null, null)), call()))
          .isInstanceOf(ContentPolicyException.class);
    }
  }

  @Test
  void eachStreamEventRidesOnAChunkAsItCameAndTheStopReasonOnlyWithMessageStop() {
    try (Harness h = new Harness()) {
      List<String> events = new ArrayList<>(List.of(messageStart(25, 0, 0), textStart(0), PING,
          textDelta(0, "Hello"), event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
              + "\"delta\":{\"type\":\"citations_delta\",\"citation\":{\"type\":\"char_location\"}}}"),
          blockStop(0), messageDelta("end_turn", 15), MESSAGE_STOP));
      h.upstream.always(Reply.sse(events));

      List<ChatChunk> chunks = drain(h.provider().streamChat(request(body(BODY, null, null)), call()));

      StringBuilder forwarded = new StringBuilder();
      for (ChatChunk chunk : chunks) {
        if (chunk.upstreamBody() != null) {
          assertThat(MessagesBody.isEvents(chunk.upstreamBody())).isTrue();
          forwarded.append(new String(chunk.upstreamBody(), StandardCharsets.UTF_8));
        }
      }
      assertThat(forwarded.toString()).isEqualTo(String.join("", events));
      ChatChunk finish = chunks.stream().filter(c -> c.finishReason() != null).findFirst().orElseThrow();
      assertThat(new String(finish.upstreamBody(), StandardCharsets.UTF_8))
          .isEqualTo(messageDelta("end_turn", 15) + MESSAGE_STOP);
      assertThat(finish.finishReason()).isEqualTo(FinishReason.STOP);
      assertThat(chunks.stream().map(ChatChunk::text).reduce("", String::concat)).isEqualTo("Hello");
      assertThat(chunks.get(chunks.size() - 1).isUsageOnly()).isTrue();
      assertThat(h.upstream.lastRequest().bodyText()).contains("\"model\":\"" + Harness.MODEL + "\"");
    }
  }

  @Test
  void aStreamThatEndsBeforeMessageStopFailsAfterItsEventsWereHandedOn() {
    try (Harness h = new Harness()) {
      h.upstream.always(Reply.sse(brokenTextStream("Half")));
      List<ChatChunk> chunks = new ArrayList<>();

      assertThatThrownBy(() -> drain(h.provider().streamChat(request(body(BODY, null, null)), call()), chunks))
          .isInstanceOf(ConnectionFailedException.class);
      assertThat(chunks).extracting(ChatChunk::text).contains("Half");
    }
  }

  @Test
  void aTextStreamPassedThroughReadsLikeTheSameStreamTranslated() {
    try (Harness h = new Harness()) {
      h.upstream.always(Reply.sse(textStream("a", "b")));

      List<ChatChunk> passed = drain(h.provider().streamChat(request(body(BODY, null, null)), call()));
      List<ChatChunk> translated = drain(h.provider().streamChat(ChatRequest.of("Hi"), call()));

      assertThat(passed.stream().filter(ChatChunk::hasAnswer).map(c -> c.text() + c.finishReason()))
          .containsExactlyElementsOf(translated.stream().filter(ChatChunk::hasAnswer)
              .map(c -> c.text() + c.finishReason()).toList());
    }
  }

  @Test
  void countsTokensWithAnthropicsCountTokens() {
    try (Harness h = new Harness()) {
      h.upstream.always(Reply.json(200, "{\"input_tokens\":2095}"));
      Provider provider = h.provider();

      MessagesNative.Count count = ((MessagesNative) provider).countTokens(
          body("{\"model\":\"claude\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}", null, null), call());

      assertThat(count.inputTokens()).isEqualTo(2095);
      assertThat(new String(count.body(), StandardCharsets.UTF_8)).isEqualTo("{\"input_tokens\":2095}");
      assertThat(h.upstream.lastRequest().path()).isEqualTo("/v1/messages/count_tokens");
      assertThat(h.upstream.lastRequest().bodyText())
          .isEqualTo("{\"model\":\"" + Harness.MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
    }
  }

  @Test
  void aBodyWithoutAModelGetsOne() {
    MessagesBody body = body("{\"max_tokens\":5,\"messages\":[]}", null, null);

    assertThat(new String(body.write("claude-x"), StandardCharsets.UTF_8))
        .isEqualTo("{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[]}");
  }
}
