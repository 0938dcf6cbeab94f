package dev.baton.server;

import static dev.baton.server.MessagesGateway.CLAUDE;
import static dev.baton.server.MessagesGateway.GPT;
import static dev.baton.testkit.AnthropicFixtures.OVERLOADED;
import static dev.baton.testkit.AnthropicFixtures.TOOL_USE;
import static dev.baton.testkit.AnthropicFixtures.brokenTextStream;
import static dev.baton.testkit.AnthropicFixtures.message;
import static dev.baton.testkit.AnthropicFixtures.textStream;
import static dev.baton.testkit.AnthropicFixtures.toolUseStream;
import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static dev.baton.testkit.OpenAiFixtures.error;
import static dev.baton.testkit.OpenAiFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.SseException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageTokensCount;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.testkit.AnthropicFixtures;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.RecordedRequest;
import dev.baton.testkit.Reply;
import dev.baton.wire.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's {@code /v1/messages} driven by the official Anthropic Java SDK, as Claude Code or any
 * Anthropic client would drive it: passed through to an Anthropic deployment, translated to an OpenAI one,
 * and falling back from either to the other within one request.
 */
class AnthropicClientTest {

  MessagesGateway env;
  AnthropicClient client;

  @BeforeEach
  void start() {
    env = new MessagesGateway();
    client = AnthropicOkHttpClient.builder()
        .baseUrl(env.url())
        .apiKey(MessagesGateway.MASTER_KEY)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(20))
        .build();
  }

  @AfterEach
  void stop() {
    client.close();
    env.close();
  }

  static MessageCreateParams ask(String model, String text) {
    return MessageCreateParams.builder().model(model).maxTokens(256).addUserMessage(text).build();
  }

  static Tool weatherTool() {
    return Tool.builder()
        .name("get_weather")
        .description("Get the current weather in a given location")
        .inputSchema(Tool.InputSchema.builder()
            .properties(Tool.InputSchema.Properties.builder()
                .putAdditionalProperty("location", JsonValue.from(Map.of("type", "string")))
                .build())
            .required(List.of("location"))
            .build())
        .build();
  }

  static JsonNode json(RecordedRequest request) throws Exception {
    return Json.parse(request.body());
  }

  // Passed through to Anthropic.

  @Test
  void anAnthropicDeploymentAnswersWithItsOwnMessageAndTheHeadersSayWho() {
    env.anthropic.always(Reply.json(200, message("Hello from Claude", "end_turn")));

    HttpResponseFor<Message> raw = client.messages().withRawResponse().create(ask("claude", "Hello"));
    Message answer = raw.parse();

    assertThat(answer.id()).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
    assertThat(answer.content().get(0).asText().text()).isEqualTo("Hello from Claude");
    assertThat(answer.model().asString()).isEqualTo(CLAUDE);
    assertThat(answer.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(answer.usage().inputTokens()).isEqualTo(12);
    assertThat(raw.headers().values("x-baton-model")).containsExactly("claude");
    assertThat(raw.headers().values("x-baton-attempts")).containsExactly("1");
    assertThat(raw.headers().values("x-request-id")).hasSize(1);
    assertThat(env.anthropic.lastRequest().path()).isEqualTo("/v1/messages");
  }

  @Test
  void theUpstreamGetsTheCallersBytesWithOnlyTheModelRewrittenAndItsOwnKey() throws Exception {
    env.anthropic.always(Reply.json(200, message("ok", "end_turn")));
    String body = "{\"model\":\"claude\",\"max_tokens\":1024,\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\","
        + "\"cache_control\":{\"type\":\"ephemeral\"}}],\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},"
        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi  \\u00e9\"}]}],"
        + "\"top_k\":5,\"a_field_from_next_year\":{\"x\":[1,2.50,true]},\"fallbacks\":[\"gpt\"],"
        + "\"metadata\":{\"user_id\":\"u-1\"}}";

    var response = env.post("/v1/messages", body, "anthropic-beta", "interleaved-thinking-2025-05-14");

    RecordedRequest upstream = env.anthropic.lastRequest();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(upstream.bodyText()).isEqualTo(body
        .replace("\"model\":\"claude\"", "\"model\":\"" + CLAUDE + "\"")
        .replace(",\"fallbacks\":[\"gpt\"]", ""));
    assertThat(upstream.header("x-api-key")).isEqualTo(MessagesGateway.ANTHROPIC_KEY);
    assertThat(upstream.header("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(upstream.header("anthropic-beta")).isEqualTo("interleaved-thinking-2025-05-14");
    assertThat(upstream.headers().toString()).doesNotContain(MessagesGateway.MASTER_KEY);
    assertThat(response.body()).as("the answer's bytes as they came").isEqualTo(message("ok", "end_turn"));
  }

  @Test
  void aStreamFromAnthropicReachesTheCallerEventForEvent() throws Exception {
    List<String> events = textStream("Hello", ", world");
    env.anthropic.always(Reply.sse(events));

    var raw = env.post("/v1/messages", "{\"model\":\"claude\",\"max_tokens\":64,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(ask("claude", "Hi"))) {
      s.stream().forEach(accumulator::accumulate);
    }

    assertThat(raw.body()).isEqualTo(String.join("", events));
    assertThat(raw.headers().firstValue("content-type")).hasValue("text/event-stream");
    assertThat(raw.headers().firstValue("x-baton-model")).hasValue("claude");
    assertThat(raw.headers().firstValue("x-baton-attempts")).hasValue("1");
    assertThat(raw.headers().firstValue("x-request-id")).isPresent();
    assertThat(accumulator.message().content().get(0).asText().text()).isEqualTo("Hello, world");
    assertThat(accumulator.message().stopReason()).hasValue(StopReason.END_TURN);
    assertThat(Json.parse(env.anthropic.lastRequest().body()).get("stream").booleanValue()).isTrue();
  }

  // Translated to OpenAI.

  @Test
  void anOpenAiDeploymentAnswersAsAnAnthropicMessage() throws Exception {
    env.openai.always(Reply.json(200, chatCompletion(GPT, "Hello from GPT")));

    HttpResponseFor<Message> raw = client.messages().withRawResponse().create(MessageCreateParams.builder()
        .model("gpt").maxTokens(100).system("Be brief.").addUserMessage("Hello").putAdditionalBodyProperty("temperature", JsonValue.from(0.5))
        .stopSequences(List.of("END")).build());
    Message answer = raw.parse();

    assertThat(answer.id()).startsWith("msg_");
    assertThat(answer.content()).hasSize(1);
    assertThat(answer.content().get(0).asText().text()).isEqualTo("Hello from GPT");
    assertThat(answer.model().asString()).isEqualTo(GPT);
    assertThat(answer.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(answer.usage().inputTokens()).isEqualTo(11);
    assertThat(answer.usage().outputTokens()).isEqualTo(7);
    assertThat(raw.headers().values("x-baton-model")).containsExactly("gpt");
    JsonNode sent = json(env.openai.lastRequest());
    assertThat(env.openai.lastRequest().path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.get("model").asText()).isEqualTo(GPT);
    assertThat(sent.get("messages").toString()).isEqualTo(
        "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hello\"}]");
    assertThat(sent.get("max_tokens").asInt()).isEqualTo(100);
    assertThat(sent.get("temperature").asDouble()).isEqualTo(0.5);
    assertThat(sent.get("stop").toString()).isEqualTo("[\"END\"]");
    assertThat(env.openai.lastRequest().header("authorization")).isEqualTo("Bearer " + MessagesGateway.OPENAI_KEY);
  }

  @Test
  void aStreamFromOpenAiIsWrittenAsAnthropicsEventsInTheirDocumentedOrder() throws Exception {
    env.openai.always(Reply.sse(stream(GPT, "Hello", " there")));
    List<String> types = new ArrayList<>();
    MessageAccumulator accumulator = MessageAccumulator.create();

    try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(ask("gpt", "Hi"))) {
      s.stream().forEach(event -> {
        accumulator.accumulate(event);
        types.add(Json.MAPPER.valueToTree(event).get("type").asText());
      });
    }
    var raw = env.post("/v1/messages", "{\"model\":\"gpt\",\"max_tokens\":64,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(types).containsExactly("message_start", "content_block_start", "content_block_delta",
        "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    assertThat(eventNames(raw.body())).containsExactly("message_start", "content_block_start", "ping",
        "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    Message message = accumulator.message();
    assertThat(message.content().get(0).asText().text()).isEqualTo("Hello there");
    assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(message.usage().outputTokens()).isEqualTo(2);
    assertThat(message.usage().inputTokens()).isEqualTo(11);
  }

  @Test
  void toolsRoundTripThroughOpenAi() throws Exception {
    env.openai.enqueue(Reply.json(200, """
        {"id":"chatcmpl-abc123","object":"chat.completion","created":1699896916,"model":"gpt-4o-2024-08-06",
         "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_abc123",
         "type":"function","function":{"name":"get_weather","arguments":"{\\"location\\": \\"Boston, MA\\"}"}}]},
         "logprobs":null,"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":82,"completion_tokens":17,"total_tokens":99}}
        """), Reply.json(200, chatCompletion(GPT, "It is sunny in Boston.")));
    MessageCreateParams first = MessageCreateParams.builder().model("gpt").maxTokens(200)
        .addUserMessage("What is the weather in Boston?").addTool(weatherTool()).build();

    Message call = client.messages().create(first);
    ToolUseBlock use = call.content().get(0).asToolUse();
    Message answer = client.messages().create(first.toBuilder()
        .addMessage(call)
        .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
            .toolUseId(use.id()).content("Sunny, 22 C").build())))
        .build());

    assertThat(call.stopReason()).hasValue(StopReason.TOOL_USE);
    assertThat(use.id()).isEqualTo("call_abc123");
    assertThat(use.name()).isEqualTo("get_weather");
    assertThat(Json.MAPPER.valueToTree(use._input()).toString()).isEqualTo("{\"location\":\"Boston, MA\"}");
    assertThat(answer.content().get(0).asText().text()).isEqualTo("It is sunny in Boston.");
    JsonNode firstSent = json(env.openai.requests().get(0));
    assertThat(firstSent.get("tools").toString()).isEqualTo("[{\"type\":\"function\",\"function\":{\"name\":"
        + "\"get_weather\",\"description\":\"Get the current weather in a given location\",\"parameters\":"
        + "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}},\"required\":[\"location\"]}}}]");
    JsonNode secondSent = json(env.openai.requests().get(1)).get("messages");
    assertThat(secondSent.get(1).toString()).isEqualTo("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":"
        + "[{\"id\":\"call_abc123\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":"
        + "\"{\\\"location\\\":\\\"Boston, MA\\\"}\"}}]}");
    assertThat(secondSent.get(2).toString())
        .isEqualTo("{\"role\":\"tool\",\"content\":\"Sunny, 22 C\",\"tool_call_id\":\"call_abc123\"}");
  }

  @Test
  void aStreamedToolCallFromOpenAiArrivesAsInputJsonDeltas() {
    String head = "data: {\"id\":\"chatcmpl-9\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + GPT
        + "\",\"choices\":[{\"index\":0,\"delta\":";
    env.openai.always(Reply.sse(List.of(
        head + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_Dd\","
            + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},"
            + "\"logprobs\":null,\"finish_reason\":null}]}\n\n",
        head + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"location\\\":\"}}]},"
            + "\"logprobs\":null,\"finish_reason\":null}]}\n\n",
        head + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\" \\\"Paris\\\"}\"}}]},"
            + "\"logprobs\":null,\"finish_reason\":null}]}\n\n",
        head + "{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}]}\n\n",
        OpenAiFixtures.DONE)));
    List<String> partials = new ArrayList<>();
    MessageAccumulator accumulator = MessageAccumulator.create();

    try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(MessageCreateParams.builder()
        .model("gpt").maxTokens(100).addUserMessage("Weather in Paris?").addTool(weatherTool()).build())) {
      s.stream().forEach(event -> {
        accumulator.accumulate(event);
        if (event.isContentBlockDelta() && event.asContentBlockDelta().delta().isInputJson()) {
          partials.add(event.asContentBlockDelta().delta().asInputJson().partialJson());
        }
      });
    }

    assertThat(partials).containsExactly("{\"location\":", " \"Paris\"}");
    ToolUseBlock use = accumulator.message().content().get(0).asToolUse();
    assertThat(use.id()).isEqualTo("call_Dd");
    assertThat(Json.MAPPER.valueToTree(use._input()).toString()).isEqualTo("{\"location\":\"Paris\"}");
    assertThat(accumulator.message().stopReason()).hasValue(StopReason.TOOL_USE);
  }

  @Test
  void toolUseFromAnthropicPassesThroughAndItsResultGoesBackAsTheCallerWroteIt() throws Exception {
    env.anthropic.enqueue(Reply.json(200, TOOL_USE), Reply.json(200, message("Sunny.", "end_turn")));
    MessageCreateParams first = MessageCreateParams.builder().model("claude").maxTokens(200)
        .addUserMessage("What is the weather in San Francisco?").addTool(weatherTool()).build();

    Message call = client.messages().create(first);
    ToolUseBlock use = call.content().get(1).asToolUse();
    client.messages().create(first.toBuilder().addMessage(call)
        .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
            .toolUseId(use.id()).content("15 C").build())))
        .build());

    assertThat(use.id()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
    JsonNode sent = json(env.anthropic.requests().get(1)).get("messages");
    assertThat(sent.get(2).get("content").toString()).isEqualTo("[{\"tool_use_id\":"
        + "\"toolu_01A09q90qw90lq917835lq9\",\"type\":\"tool_result\",\"content\":\"15 C\"}]");
  }

  // Fallback across providers.

  @Test
  void anOverloadedAnthropicFallsBackToOpenAiWithinTheRequest() {
    env.anthropic.always(Reply.json(529, OVERLOADED));
    env.openai.always(Reply.json(200, chatCompletion(GPT, "From the fallback")));

    HttpResponseFor<Message> raw = client.messages().withRawResponse().create(ask("claude", "Hello"));

    assertThat(raw.parse().content().get(0).asText().text()).isEqualTo("From the fallback");
    assertThat(raw.parse().model().asString()).isEqualTo(GPT);
    assertThat(raw.headers().values("x-baton-model")).containsExactly("gpt");
    assertThat(raw.headers().values("x-baton-attempts")).containsExactly("2");
    assertThat(env.anthropic.requests()).hasSize(1);
  }

  @Test
  void aFailingOpenAiFallsBackToAnthropicWhichGetsTheCallersBytes() throws Exception {
    env.openai.always(Reply.json(503, error("down", "server_error", null)));
    env.anthropic.always(Reply.json(200, message("From Claude", "end_turn")));
    String body = "{\"model\":\"gpt\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    var response = env.post("/v1/messages", body);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(message("From Claude", "end_turn"));
    assertThat(response.headers().firstValue("x-baton-model")).hasValue("claude");
    assertThat(env.anthropic.lastRequest().bodyText()).isEqualTo(body.replace("\"gpt\"", "\"" + CLAUDE + "\""));
  }

  @Test
  void aStreamFallsBackFromAnthropicToOpenAiBeforeItStarts() {
    env.anthropic.always(Reply.json(529, OVERLOADED));
    env.openai.always(Reply.sse(stream(GPT, "Fallback", " stream")));
    MessageAccumulator accumulator = MessageAccumulator.create();

    try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(ask("claude", "Hi"))) {
      s.stream().forEach(accumulator::accumulate);
    }

    assertThat(accumulator.message().content().get(0).asText().text()).isEqualTo("Fallback stream");
  }

  @Test
  void anAnthropicStreamThatFailsBeforeItsFirstTokenLeavesNoTraceInTheFallbacksStream() throws Exception {
    env.anthropic.always(Reply.sse(List.of(AnthropicFixtures.messageStart(25, 0, 0), AnthropicFixtures.PING,
        AnthropicFixtures.streamError("overloaded_error", "Overloaded"))));
    env.openai.always(Reply.sse(stream(GPT, "Clean", " answer")));

    var raw = env.post("/v1/messages", "{\"model\":\"claude\",\"max_tokens\":50,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(eventNames(raw.body())).containsExactly("message_start", "content_block_start", "ping",
        "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    assertThat(raw.body()).doesNotContain("msg_01Stream").contains("\"model\":\"" + GPT + "\"");
    assertThat(raw.headers().firstValue("x-baton-model")).hasValue("gpt");
  }

  @Test
  void aStreamFallsBackFromOpenAiToAnthropicWhoseEventsPassThrough() throws Exception {
    env.openai.always(Reply.json(503, error("down", "server_error", null)));
    List<String> events = textStream("From", " Claude");
    env.anthropic.always(Reply.sse(events));

    var raw = env.post("/v1/messages", "{\"model\":\"gpt\",\"max_tokens\":50,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(raw.body()).isEqualTo(String.join("", events));
    assertThat(raw.headers().firstValue("x-baton-model")).hasValue("claude");
  }

  // Streams that break.

  @Test
  void aBrokenAnthropicStreamIsContinuedByOpenAiAsMoreTextDeltasOfTheSameBlock() throws Exception {
    env.anthropic.always(Reply.sse(brokenTextStream("The answer", " starts here")));
    // As a real model asked to continue does: it begins with the answer's last words, which Baton drops.
    env.openai.always(Reply.sse(stream(GPT, "starts here", " and ends here.")));

    var raw = env.post("/v1/messages", "{\"model\":\"claude\",\"max_tokens\":64,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me\"}]}");
    MessageAccumulator accumulator = MessageAccumulator.create();
    List<Long> deltaIndexes = new ArrayList<>();
    try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(ask("claude", "Tell me"))) {
      s.stream().forEach(event -> {
        accumulator.accumulate(event);
        if (event.isContentBlockDelta()) {
          deltaIndexes.add(event.asContentBlockDelta().index());
        }
      });
    }

    List<String> expectedStart = brokenTextStream("The answer", " starts here");
    assertThat(raw.body()).as("Anthropic's own events first").startsWith(String.join("", expectedStart));
    assertThat(eventNames(raw.body())).endsWith("content_block_delta", "content_block_stop", "message_delta",
        "message_stop");
    assertThat(eventNames(raw.body()).stream().filter("content_block_start"::equals)).hasSize(1);
    assertThat(deltaIndexes).containsOnly(0L);
    assertThat(accumulator.message().content()).hasSize(1);
    assertThat(accumulator.message().content().get(0).asText().text())
        .isEqualTo("The answer starts here and ends here.");
    assertThat(accumulator.message().stopReason()).hasValue(StopReason.END_TURN);
  }

  @Test
  void aBrokenStreamWithoutAFallbackEndsWithAnErrorEventAndNeverMessageStop() throws Exception {
    env.anthropic.always(Reply.sse(brokenTextStream("Half an", " answer")));
    List<String> seen = new ArrayList<>();

    var raw = env.post("/v1/messages", "{\"model\":\"claude-alone\",\"max_tokens\":64,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me\"}]}");
    SseException thrown = catchThrowableOfType(SseException.class, () -> {
      try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(ask("claude-alone", "x"))) {
        s.stream().forEach(event -> {
          if (event.isContentBlockDelta()) {
            seen.add(event.asContentBlockDelta().delta().asText().text());
          }
        });
      }
    });

    assertThat(eventNames(raw.body())).endsWith("error").doesNotContain("message_stop", "message_delta");
    assertThat(raw.body()).contains("\"type\":\"error\",\"error\":{\"type\":\"api_error\"");
    assertThat(thrown).as("the SDK raises the error event").isNotNull();
    assertThat(seen).containsExactly("Half an", " answer");
  }

  @Test
  void aBrokenOpenAiStreamWithoutAFallbackEndsWithAnErrorEvent() throws Exception {
    env.openai.always(Reply.sse(OpenAiFixtures.numberedStream(GPT, 20)).cutAfter(6));

    var raw = env.post("/v1/messages", "{\"model\":\"gpt-alone\",\"max_tokens\":64,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Count\"}]}");

    List<String> names = eventNames(raw.body());
    assertThat(names).startsWith("message_start", "content_block_start", "ping", "content_block_delta");
    assertThat(names).endsWith("error").doesNotContain("message_stop");
  }

  @Test
  void aToolCallThatBreaksOffEndsWithAnErrorEventEvenWithAFallback() throws Exception {
    List<String> events = new ArrayList<>(toolUseStream("toolu_1", "get_weather", "{\"location\":", "\"Par"));
    events.subList(events.size() - 3, events.size()).clear();
    env.anthropic.always(Reply.sse(events));
    env.openai.always(Reply.sse(stream(GPT, "never used")));

    var raw = env.post("/v1/messages", "{\"model\":\"claude\",\"max_tokens\":64,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]}");

    assertThat(eventNames(raw.body())).endsWith("error").doesNotContain("message_stop");
    assertThat(env.openai.requests()).isEmpty();
  }

  // Errors, in Anthropic's shape.

  @Test
  void aMissingKeyIsAnAuthenticationError() {
    AnthropicClient anonymous = AnthropicOkHttpClient.builder().baseUrl(env.url()).apiKey("wrong").maxRetries(0).build();
    try {
      UnauthorizedException e = catchThrowableOfType(UnauthorizedException.class,
          () -> anonymous.messages().create(ask("claude", "Hi")));

      assertThat(e.statusCode()).isEqualTo(401);
      assertThat(e.errorType()).hasValue(ErrorType.AUTHENTICATION_ERROR);
      assertThat(env.anthropic.requests()).isEmpty();
    } finally {
      anonymous.close();
    }
  }

  @Test
  void theKeyMayComeAsABearerToken() throws Exception {
    env.anthropic.always(Reply.json(200, message("ok", "end_turn")));

    var response = env.post("/v1/messages", "{\"model\":\"claude\",\"max_tokens\":5,\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"Hi\"}]}", "x-api-key", "", "authorization",
        "Bearer " + MessagesGateway.MASTER_KEY);

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void aRequestWithoutMaxTokensIsAnInvalidRequestNamingIt() throws Exception {
    var response = env.post("/v1/messages", "{\"model\":\"claude\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
        + "\"message\":\"Missing required parameter: 'max_tokens'\"}}");
    assertThat(env.anthropic.requests()).isEmpty();
  }

  @Test
  void aBadRequestReachesTheSdkAsABadRequest() {
    BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> client.messages().create(
        MessageCreateParams.builder().model("claude").maxTokens(10).addUserMessage("Hi")
            .putAdditionalBodyProperty("temperature", JsonValue.from("hot")).build()));

    assertThat(e.errorType()).hasValue(ErrorType.INVALID_REQUEST_ERROR);
    assertThat(e.apiMessage()).hasValueSatisfying(m -> assertThat(m).contains("temperature"));
  }

  @Test
  void anUnknownModelIsNotFound() {
    NotFoundException e = catchThrowableOfType(NotFoundException.class,
        () -> client.messages().create(ask("claude-9", "Hi")));

    assertThat(e.errorType()).hasValue(ErrorType.NOT_FOUND_ERROR);
    assertThat(e.apiMessage()).hasValueSatisfying(m -> assertThat(m).contains("claude-9"));
  }

  @Test
  void rateLimitsEverywhereAreARateLimitErrorWithRetryAfter() {
    env.anthropic.always(Reply.json(429, AnthropicFixtures.error("rate_limit_error", "slow down"))
        .header("retry-after", "7"));
    env.openai.always(Reply.json(429, error("Rate limit reached", "requests", "rate_limit_exceeded"))
        .header("retry-after", "9"));

    RateLimitException e = catchThrowableOfType(RateLimitException.class,
        () -> client.messages().create(ask("claude", "Hi")));

    assertThat(e.errorType()).hasValue(ErrorType.RATE_LIMIT_ERROR);
    assertThat(e.headers().values("retry-after")).isNotEmpty();
  }

  @Test
  void anOverloadedUpstreamWithoutAFallbackIsAnOverloadedError() {
    env.anthropic.always(Reply.json(529, OVERLOADED));

    AnthropicServiceException e = catchThrowableOfType(AnthropicServiceException.class,
        () -> client.messages().create(ask("claude-alone", "Hi")));

    assertThat(e.statusCode()).isEqualTo(529);
    assertThat(e.errorType()).hasValue(ErrorType.OVERLOADED_ERROR);
  }

  @Test
  void theGatewaysOwnRefusalsOnThisRouteAreAnthropicShaped() throws Exception {
    var tooLarge = env.post("/v1/messages", "{\"model\":\"claude\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"" + "x".repeat(70_000) + "\"}]}");
    var wrongMethod = env.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(env.url() + "/v1/messages"))
        .header("x-api-key", MessagesGateway.MASTER_KEY).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(Json.parse(tooLarge.body().getBytes(StandardCharsets.UTF_8)).at("/error/type").asText())
        .isEqualTo("request_too_large");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(Json.parse(wrongMethod.body().getBytes(StandardCharsets.UTF_8)).at("/error/type").asText())
        .isEqualTo("invalid_request_error");
    assertThat(wrongMethod.body()).startsWith("{\"type\":\"error\"");
  }

  @Test
  void aRequestOnlyAnthropicCanServeIsNeverTranslatedWithPartsLeftOut() throws Exception {
    env.anthropic.always(Reply.json(529, OVERLOADED));
    env.openai.always(Reply.json(200, chatCompletion(GPT, "searched nothing")));

    var response = env.post("/v1/messages", "{\"model\":\"claude\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Search the web for Baton\"}],\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\","
        + "\"max_uses\":3}]}");

    assertThat(env.openai.requests()).isEmpty();
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\"")
        .contains("529 overloaded_error: Overloaded")
        .contains("openai cannot take this Anthropic Messages request: Anthropic's tool 'web_search'"
            + " (web_search_20250305) exists only on Anthropic's API");
  }

  // count_tokens.

  @Test
  void countTokensIsPassedThroughToAnthropic() throws Exception {
    env.anthropic.always(Reply.json(200, "{\"input_tokens\":2095}"));

    MessageTokensCount count = client.messages().countTokens(MessageCountTokensParams.builder()
        .model("claude").addUserMessage("Hello, Claude").build());

    assertThat(count.inputTokens()).isEqualTo(2095);
    RecordedRequest upstream = env.anthropic.lastRequest();
    assertThat(upstream.path()).isEqualTo("/v1/messages/count_tokens");
    assertThat(json(upstream).get("model").asText()).isEqualTo(CLAUDE);
  }

  @Test
  void countTokensIsEstimatedForOtherProvidersWithoutCallingThem() throws Exception {
    String text = "x".repeat(400);

    MessageTokensCount count = client.messages().countTokens(MessageCountTokensParams.builder()
        .model("gpt").system("Be brief.").addUserMessage(text).build());
    var raw = env.post("/v1/messages/count_tokens", "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + text + "\"}]}");

    // Four characters a token, four tokens a message: (9 + 400) / 4 + 2 * 4.
    assertThat(count.inputTokens()).isEqualTo(110);
    assertThat(raw.body()).isEqualTo("{\"input_tokens\":104}");
    assertThat(raw.headers().firstValue("x-baton-model")).hasValue("gpt");
    assertThat(env.openai.requests()).isEmpty();
  }

  // Helpers.

  static List<String> eventNames(String sse) {
    List<String> names = new ArrayList<>();
    for (String line : sse.split("\n")) {
      if (line.startsWith("event: ")) {
        names.add(line.substring(7));
      }
    }
    return names;
  }

  static boolean isToolUse(ContentBlock block) {
    return block.isToolUse();
  }
}
