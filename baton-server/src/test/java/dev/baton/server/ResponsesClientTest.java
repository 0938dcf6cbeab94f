package dev.baton.server;

import static dev.baton.server.ResponsesGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.StructuredResponse;
import dev.baton.testkit.AnthropicFixtures;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.RecordedRequest;
import dev.baton.testkit.Reply;
import dev.baton.testkit.ResponsesFixtures;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The Responses API through the gateway, driven by the official OpenAI Java SDK ({@code client.responses()})
 * as a Codex or Vercel AI SDK user's client would drive it: plain and streamed answers from deployments that
 * translate and from one that speaks the Responses API natively, tools, fallbacks across providers, stored
 * responses and conversations continued on another provider, errors in OpenAI's shape, and streams that break.
 */
class ResponsesClientTest {

  ResponsesGateway env;

  @BeforeEach
  void start() {
    env = new ResponsesGateway();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  static ResponseCreateParams ask(String model, String input) {
    return ResponseCreateParams.builder().model(model).input(input).build();
  }

  /** The text of a Response's messages, as the SDK reads it. */
  static String text(Response response) {
    StringBuilder text = new StringBuilder();
    for (ResponseOutputItem item : response.output()) {
      item.message().ifPresent(m -> m.content().forEach(c -> c.outputText().ifPresent(t -> text.append(t.text()))));
    }
    return text.toString();
  }

  /** The model a Response names, whichever of the SDK's forms it takes (a known model is an enum there). */
  static String model(Response response) {
    com.openai.models.ResponsesModel model = response.model();
    return model.string().orElseGet(() -> model.chat().map(c -> c.asString())
        .orElseGet(() -> model.asOnly().asString()));
  }

  static List<ResponseFunctionToolCall> calls(Response response) {
    List<ResponseFunctionToolCall> calls = new ArrayList<>();
    response.output().forEach(item -> item.functionCall().ifPresent(calls::add));
    return calls;
  }

  /** Every event of a stream read through the SDK. */
  List<ResponseStreamEvent> stream(ResponseCreateParams params) {
    List<ResponseStreamEvent> events = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream = env.client.responses().createStreaming(params)) {
      stream.stream().forEach(events::add);
    }
    return events;
  }

  static String deltas(List<ResponseStreamEvent> events) {
    StringBuilder text = new StringBuilder();
    events.forEach(e -> e.outputTextDelta().ifPresent(d -> text.append(d.delta())));
    return text.toString();
  }

  /** One server-sent event as it went over the wire. */
  record Sse(String type, JsonNode data) {}

  /** The events of a raw streamed answer, in order. */
  static List<Sse> events(String body) {
    List<Sse> events = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      String type = null;
      StringBuilder data = new StringBuilder();
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data.append(line.substring(6));
        }
      }
      if (type != null) {
        JsonNode parsed = json(data.toString());
        assertThat(parsed.path("type").asText()).as("the event line names the data's type").isEqualTo(type);
        events.add(new Sse(type, parsed));
      }
    }
    return events;
  }

  static List<String> types(List<Sse> events) {
    return events.stream().map(Sse::type).toList();
  }

  static void assertNumberedFromZero(List<Sse> events) {
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).data().path("sequence_number").asInt())
          .as("sequence_number of event %d (%s)", i, events.get(i).type()).isEqualTo(i);
    }
  }

  static final List<String> TEXT_EVENTS = List.of("response.created", "response.in_progress",
      "response.output_item.added", "response.content_part.added");
  static final List<String> TEXT_END = List.of("response.output_text.done", "response.content_part.done",
      "response.output_item.done", "response.completed");

  @Nested
  class Translated {

    @Test
    void answersAsAResponseObjectFromAChatDeployment() {
      env.chat.always(Reply.json(200, OpenAiFixtures.chatCompletion("gpt-4o-2024-08-06", "Hello from chat!")));

      HttpResponseFor<Response> raw = env.client.responses().withRawResponse().create(ResponseCreateParams.builder()
          .model("gpt").instructions("Be brief.").input("Hello!").maxOutputTokens(100L).temperature(0.3).build());
      Response response = raw.parse();

      assertThat(text(response)).isEqualTo("Hello from chat!");
      assertThat(response.id()).startsWith("resp_");
      assertThat(response._object_()).isEqualTo(JsonValue.from("response"));
      assertThat(response.status()).hasValueSatisfying(s -> assertThat(s.asString()).isEqualTo("completed"));
      assertThat(model(response)).as("the model that actually answered").isEqualTo("gpt-4o-2024-08-06");
      assertThat(response.instructions()).isPresent();
      assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(11);
      assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(7);
      assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(18);
      assertThat(raw.headers().values("x-baton-model")).containsExactly("gpt");
      assertThat(raw.headers().values("x-baton-attempts")).containsExactly("1");
      assertThat(raw.headers().values("x-request-id")).hasSize(1);
      JsonNode sent = json(env.chat.lastRequest());
      assertThat(env.chat.lastRequest().path()).isEqualTo("/v1/chat/completions");
      assertThat(sent.path("messages")).isEqualTo(json("[{\"role\":\"system\",\"content\":\"Be brief.\"},"
          + "{\"role\":\"user\",\"content\":\"Hello!\"}]"));
      assertThat(sent.path("max_tokens").asInt()).isEqualTo(100);
      assertThat(sent.path("temperature").asDouble()).isEqualTo(0.3);
    }

    @Test
    void fallsBackFromAnOpenAiCompatibleDeploymentToAnthropic() {
      env.chat.always(Reply.json(503, OpenAiFixtures.error("overloaded", "server_error", null)));
      env.claude.always(Reply.json(200, AnthropicFixtures.message("Hello from Claude!", "end_turn")));

      HttpResponseFor<Response> raw = env.client.responses().withRawResponse().create(ask("gpt", "Hello!"));
      Response response = raw.parse();

      assertThat(text(response)).isEqualTo("Hello from Claude!");
      assertThat(model(response)).isEqualTo(AnthropicFixtures.MODEL);
      assertThat(raw.headers().values("x-baton-model")).containsExactly("claude");
      assertThat(raw.headers().values("x-baton-attempts")).containsExactly("2");
      assertThat(env.claude.lastRequest().path()).isEqualTo("/v1/messages");
      assertThat(env.claude.lastRequest().header("x-api-key")).isEqualTo(ResponsesGateway.ANTHROPIC_KEY);
      assertThat(json(env.claude.lastRequest()).path("messages"))
          .isEqualTo(json("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hello!\"}]}]"));
    }

    @Test
    void streamsTypedEventsInOpenAisOrderWithSequenceNumbers() {
      env.chat.always(Reply.sse(OpenAiFixtures.stream("gpt-4o-2024-08-06", "Hel", "lo", "!")));

      HttpResponse<String> raw = env.post("/v1/responses", "{\"model\":\"gpt\",\"input\":\"Hi\",\"stream\":true}");
      List<Sse> events = events(raw.body());

      assertThat(raw.statusCode()).isEqualTo(200);
      assertThat(raw.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
      assertThat(raw.headers().firstValue("x-baton-model")).hasValue("gpt");
      List<String> expected = new ArrayList<>(TEXT_EVENTS);
      expected.addAll(List.of("response.output_text.delta", "response.output_text.delta", "response.output_text.delta"));
      expected.addAll(TEXT_END);
      assertThat(types(events)).containsExactlyElementsOf(expected);
      assertNumberedFromZero(events);
      String itemId = events.get(2).data().at("/item/id").asText();
      assertThat(itemId).startsWith("msg_");
      assertThat(events.subList(3, 9)).allSatisfy(e -> assertThat(e.data().path("item_id").asText()).isEqualTo(itemId));
      assertThat(events.get(7).data().path("text").asText()).isEqualTo("Hello!");
      JsonNode completed = events.get(10).data().path("response");
      assertThat(completed.path("status").asText()).isEqualTo("completed");
      assertThat(completed.at("/output/0/content/0/text").asText()).isEqualTo("Hello!");
      assertThat(completed.at("/usage/output_tokens").asInt()).isEqualTo(3);
      assertThat(completed.path("id").asText()).isEqualTo(events.get(0).data().at("/response/id").asText());
    }

    @Test
    void theSdkReadsTheStreamAndItsFinalResponse() {
      env.claude.always(Reply.sse(AnthropicFixtures.textStream("Once", " upon", " a time.")));

      List<ResponseStreamEvent> events = stream(ResponseCreateParams.builder().model("claude").input("A story").build());

      assertThat(deltas(events)).isEqualTo("Once upon a time.");
      Response completed = events.get(events.size() - 1).completed().orElseThrow().response();
      assertThat(text(completed)).isEqualTo("Once upon a time.");
      assertThat(model(completed)).isEqualTo(AnthropicFixtures.MODEL);
      assertThat(completed.usage().orElseThrow().outputTokens()).isEqualTo(15);
    }

    @Test
    void structuredOutputAsksTheProviderForItsJsonSchema() {
      env.chat.always(Reply.json(200, OpenAiFixtures.chatCompletion("gpt-4o", "{\"city\":\"Paris\",\"degrees\":21}")));

      StructuredResponse<Weather> response = env.client.responses().create(ResponseCreateParams.builder()
          .model("gpt").input("The weather in Paris?").text(Weather.class).build());

      Weather weather = response.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow();
      assertThat(weather.city).isEqualTo("Paris");
      assertThat(weather.degrees).isEqualTo(21);
      JsonNode format = json(env.chat.lastRequest()).path("response_format");
      assertThat(format.path("type").asText()).isEqualTo("json_schema");
      assertThat(format.at("/json_schema/name").asText()).isNotEmpty();
      assertThat(format.at("/json_schema/schema/properties/city/type").asText()).isEqualTo("string");
      assertThat(format.at("/json_schema/strict").asBoolean()).isTrue();
    }
  }

  /** The SDK's structured-output class, its JSON schema derived from the fields. */
  public static class Weather {
    public String city;
    public int degrees;
  }

  @Nested
  class Tools {

    static FunctionTool weather() {
      return FunctionTool.builder()
          .name("get_weather")
          .description("The current weather in a city")
          .parameters(FunctionTool.Parameters.builder()
              .putAdditionalProperty("type", JsonValue.from("object"))
              .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
              .putAdditionalProperty("required", JsonValue.from(List.of("city")))
              .putAdditionalProperty("additionalProperties", JsonValue.from(false))
              .build())
          .strict(true)
          .build();
    }

    @Test
    void aToolCallComesAsAFunctionCallItemAndItsOutputGoesBackAsAToolResult() {
      env.chat.enqueue(
          Reply.json(200, OpenAiFixtures.toolCallCompletion("gpt-4o", "call_abc", "get_weather", "{\"city\":\"Paris\"}")),
          Reply.json(200, OpenAiFixtures.chatCompletion("gpt-4o", "It is 21 degrees in Paris.")));

      Response first = env.client.responses().create(ResponseCreateParams.builder().model("gpt")
          .input("Weather in Paris?").addTool(weather()).build());
      ResponseFunctionToolCall call = calls(first).get(0);
      Response second = env.client.responses().create(ResponseCreateParams.builder().model("gpt").addTool(weather())
          .inputOfResponse(List.of(
              ResponseInputItem.ofEasyInputMessage(com.openai.models.responses.EasyInputMessage.builder()
                  .role(com.openai.models.responses.EasyInputMessage.Role.USER).content("Weather in Paris?").build()),
              ResponseInputItem.ofFunctionCall(call),
              ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                  .callId(call.callId()).output("{\"degrees\":21}").build())))
          .build());

      assertThat(call.name()).isEqualTo("get_weather");
      assertThat(call.callId()).isEqualTo("call_abc");
      assertThat(call.arguments()).isEqualTo("{\"city\":\"Paris\"}");
      assertThat(call.id()).hasValueSatisfying(id -> assertThat(id).startsWith("fc_"));
      assertThat(text(second)).isEqualTo("It is 21 degrees in Paris.");
      JsonNode firstSent = json(env.chat.requests().get(0));
      assertThat(firstSent.path("tools")).isEqualTo(json("[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
          + "\"description\":\"The current weather in a city\",\"parameters\":{\"type\":\"object\",\"properties\":"
          + "{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"],\"additionalProperties\":false},\"strict\":true}}]"));
      JsonNode messages = json(env.chat.requests().get(1)).path("messages");
      assertThat(messages.get(1)).isEqualTo(json("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":"
          + "\"call_abc\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}"));
      assertThat(messages.get(2)).isEqualTo(json("{\"role\":\"tool\",\"content\":\"{\\\"degrees\\\":21}\","
          + "\"tool_call_id\":\"call_abc\"}"));
    }

    @Test
    void aStreamedToolCallComesAsItsArgumentDeltas() {
      env.claude.always(Reply.sse(AnthropicFixtures.toolUseStream("toolu_01", "get_weather", "{\"city\":", " \"Paris\"}")));

      HttpResponse<String> raw = env.post("/v1/responses", "{\"model\":\"claude\",\"input\":\"Weather?\",\"stream\":true,"
          + "\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}]}");
      List<Sse> events = events(raw.body());

      assertThat(types(events)).containsExactly("response.created", "response.in_progress",
          "response.output_item.added", "response.function_call_arguments.delta",
          "response.function_call_arguments.delta", "response.function_call_arguments.done",
          "response.output_item.done", "response.completed");
      assertNumberedFromZero(events);
      JsonNode added = events.get(2).data().path("item");
      assertThat(added.path("type").asText()).isEqualTo("function_call");
      assertThat(added.path("call_id").asText()).isEqualTo("toolu_01");
      assertThat(added.path("name").asText()).isEqualTo("get_weather");
      assertThat(events.get(5).data().path("arguments").asText()).isEqualTo("{\"city\": \"Paris\"}");
      JsonNode output = events.get(7).data().at("/response/output/0");
      assertThat(output.path("arguments").asText()).isEqualTo("{\"city\": \"Paris\"}");
      assertThat(output.path("status").asText()).isEqualTo("completed");
    }
  }

  @Nested
  class Stored {

    @Test
    void aStoredResponseCanBeRetrievedAndDeleted() {
      env.chat.always(Reply.json(200, OpenAiFixtures.chatCompletion("gpt-4o", "Stored answer.")));
      Response created = env.client.responses().create(ask("gpt", "Remember this"));

      Response retrieved = env.client.responses().retrieve(created.id());
      env.client.responses().delete(created.id());
      NotFoundException gone = catchThrowableOfType(NotFoundException.class,
          () -> env.client.responses().retrieve(created.id()));

      assertThat(text(retrieved)).isEqualTo("Stored answer.");
      assertThat(retrieved.id()).isEqualTo(created.id());
      assertThat(gone.statusCode()).isEqualTo(404);
      assertThat(gone.getMessage()).contains("Response with id '" + created.id() + "' not found.");
    }

    @Test
    void deletingAnswersWithOpenAisDeletionObject() {
      env.chat.always(Reply.json(200, OpenAiFixtures.chatCompletion("gpt-4o", "x")));
      Response created = env.client.responses().create(ask("gpt", "a"));

      HttpResponse<String> deleted = env.call("DELETE", "/v1/responses/" + created.id());
      HttpResponse<String> again = env.call("DELETE", "/v1/responses/" + created.id());

      assertThat(json(deleted.body())).isEqualTo(json("{\"id\":\"" + created.id() + "\",\"object\":\"response\","
          + "\"deleted\":true}"));
      assertThat(again.statusCode()).isEqualTo(404);
      assertThat(json(again.body()).path("error").path("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void aStreamedResponseIsStoredAsItsFinalResponse() {
      env.claude.always(Reply.sse(AnthropicFixtures.textStream("Streamed", " and stored.")));
      List<ResponseStreamEvent> events = stream(ask("claude", "Stream it"));
      Response completed = events.get(events.size() - 1).completed().orElseThrow().response();

      Response retrieved = env.client.responses().retrieve(completed.id());

      assertThat(text(retrieved)).isEqualTo("Streamed and stored.");
      assertThat(retrieved.usage()).isEqualTo(completed.usage());
    }

    @Test
    void storeFalseKeepsNothing() {
      env.chat.always(Reply.json(200, OpenAiFixtures.chatCompletion("gpt-4o", "x")));
      Response created = env.client.responses().create(ResponseCreateParams.builder().model("gpt").input("a")
          .store(false).build());

      assertThat(created._additionalProperties().get("store")).isEqualTo(JsonValue.from(false));
      assertThat(env.call("GET", "/v1/responses/" + created.id()).statusCode()).isEqualTo(404);
    }

    @Test
    void aConversationStartedOnOneProviderContinuesOnAnother() {
      env.chat.always(Reply.json(200, OpenAiFixtures.chatCompletion("gpt-4o", "Nice to meet you, Ada.")));
      env.claude.always(Reply.json(200, AnthropicFixtures.message("Your name is Ada.", "end_turn")));

      Response first = env.client.responses().create(ResponseCreateParams.builder().model("gpt")
          .instructions("You are friendly.").input("My name is Ada.").build());
      Response second = env.client.responses().create(ResponseCreateParams.builder().model("claude")
          .previousResponseId(first.id()).input("What is my name?").build());

      assertThat(text(second)).isEqualTo("Your name is Ada.");
      assertThat(second.previousResponseId()).hasValue(first.id());
      JsonNode sent = json(env.claude.lastRequest());
      assertThat(sent.has("system")).as("instructions are not carried over to the next turn").isFalse();
      assertThat(sent.path("messages")).isEqualTo(json("[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
          + "\"text\":\"My name is Ada.\"}]},{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":"
          + "\"Nice to meet you, Ada.\"}]},{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":"
          + "\"What is my name?\"}]}]"));
    }

    @Test
    void aConversationWithToolCallsContinuesOnAnotherProvider() {
      env.chat.always(Reply.json(200,
          OpenAiFixtures.toolCallCompletion("gpt-4o", "call_abc", "get_weather", "{\"city\":\"Paris\"}")));
      env.claude.always(Reply.json(200, AnthropicFixtures.message("21 degrees in Paris.", "end_turn")));

      Response first = env.client.responses().create(ResponseCreateParams.builder().model("gpt")
          .input("Weather in Paris?").addTool(Tools.weather()).build());
      Response second = env.client.responses().create(ResponseCreateParams.builder().model("claude")
          .addTool(Tools.weather()).previousResponseId(first.id())
          .inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
              .callId("call_abc").output("{\"degrees\":21}").build())))
          .build());

      assertThat(text(second)).isEqualTo("21 degrees in Paris.");
      JsonNode messages = json(env.claude.lastRequest()).path("messages");
      assertThat(messages.get(1)).isEqualTo(json("{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\","
          + "\"id\":\"call_abc\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]}"));
      assertThat(messages.get(2).at("/content/0/type").asText()).isEqualTo("tool_result");
      assertThat(messages.get(2).at("/content/0/tool_use_id").asText()).isEqualTo("call_abc");
    }

    @Test
    void anUnknownPreviousResponseIsOpenAisError() {
      BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> env.client.responses().create(
          ResponseCreateParams.builder().model("gpt").previousResponseId("resp_nope").input("again").build()));

      assertThat(e.statusCode()).isEqualTo(400);
      assertThat(e.getMessage()).contains("Previous response with id 'resp_nope' not found.");
      assertThat(e.param()).hasValue("previous_response_id");
      assertThat(env.chat.requests()).isEmpty();
    }
  }

  @Nested
  class Errors {

    @Test
    void anUnknownModelIsNotFound() {
      NotFoundException e = catchThrowableOfType(NotFoundException.class,
          () -> env.client.responses().create(ask("gpt-9", "hi")));

      assertThat(e.code()).hasValue("model_not_found");
    }

    @Test
    void aFieldOnlyANativeDeploymentTakesIsRefusedByName() {
      HttpResponse<String> raw = env.post("/v1/responses",
          "{\"model\":\"gpt\",\"input\":\"hi\",\"reasoning\":{\"effort\":\"high\"}}");

      assertThat(raw.statusCode()).isEqualTo(400);
      JsonNode error = json(raw.body()).path("error");
      assertThat(error.path("param").asText()).isEqualTo("reasoning");
      assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
      assertThat(error.path("message").asText()).contains("Unsupported parameter: 'reasoning'")
          .contains("responses_api: native");
      assertThat(env.chat.requests()).as("no upstream call").isEmpty();
      assertThat(env.claude.requests()).isEmpty();
    }

    @Test
    void anUnknownFieldIsRefusedForTranslatedModels() {
      HttpResponse<String> raw = env.post("/v1/responses", "{\"model\":\"claude\",\"input\":\"hi\",\"frobnicate\":1}");

      assertThat(raw.statusCode()).isEqualTo(400);
      assertThat(json(raw.body()).at("/error/param").asText()).isEqualTo("frobnicate");
    }

    @Test
    void aHostedToolIsRefusedByName() {
      HttpResponse<String> raw = env.post("/v1/responses",
          "{\"model\":\"gpt\",\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"}]}");

      assertThat(raw.statusCode()).isEqualTo(400);
      assertThat(json(raw.body()).at("/error/param").asText()).isEqualTo("tools[0].type");
    }

    @Test
    void illTypedFieldsAreRefusedWhoeverWouldAnswer() {
      HttpResponse<String> raw = env.post("/v1/responses", "{\"model\":\"native\",\"input\":42}");

      assertThat(raw.statusCode()).isEqualTo(400);
      assertThat(json(raw.body()).at("/error/param").asText()).isEqualTo("input");
      assertThat(env.nativeApi.requests()).isEmpty();
    }

    @Test
    void anUpstreamBadRequestIsPassedOnWithoutFallingBack() {
      env.chat.always(Reply.json(400, OpenAiFixtures.error("'temperature' must be at most 2", "invalid_request_error", null)));

      BadRequestException e = catchThrowableOfType(BadRequestException.class,
          () -> env.client.responses().create(ask("gpt", "hi")));

      assertThat(e.getMessage()).contains("'temperature' must be at most 2");
      assertThat(env.claude.requests()).isEmpty();
    }

    @Test
    void whenEveryModelFailsTheLastStatusComesBackNamingEachModel() {
      env.chat.always(Reply.json(503, OpenAiFixtures.error("chat down", "server_error", null)));
      env.claude.always(Reply.json(529, AnthropicFixtures.OVERLOADED));

      OpenAIServiceException e = catchThrowableOfType(OpenAIServiceException.class,
          () -> env.client.responses().create(ask("gpt", "hi")));

      assertThat(e.statusCode()).isEqualTo(529);
      assertThat(e.getMessage()).contains("gpt").contains("claude");
    }
  }

  @Nested
  class BrokenStreams {

    @Test
    void aStreamCutMidAnswerIsContinuedAsMoreDeltasOfTheSameItem() {
      // The role chunk and two text chunks, then the connection drops.
      env.chat.always(Reply.sse(OpenAiFixtures.stream("gpt-4o", "The quick brown", " fox jumps", " over it.")).cutAfter(3));
      env.claude.always(Reply.sse(AnthropicFixtures.textStream(" over the lazy", " dog.")));

      HttpResponse<String> raw = env.post("/v1/responses", "{\"model\":\"gpt\",\"input\":\"Finish it\",\"stream\":true}");
      List<Sse> events = events(raw.body());

      assertNumberedFromZero(events);
      List<Sse> deltas = events.stream().filter(e -> e.type().equals("response.output_text.delta")).toList();
      assertThat(deltas).extracting(e -> e.data().path("delta").asText())
          .containsExactly("The quick brown", " fox jumps", " over the lazy", " dog.");
      assertThat(deltas).extracting(e -> e.data().path("item_id").asText()).containsOnly(
          deltas.get(0).data().path("item_id").asText());
      assertThat(types(events)).endsWith("response.output_text.done", "response.content_part.done",
          "response.output_item.done", "response.completed").doesNotContain("response.failed");
      JsonNode completed = events.get(events.size() - 1).data().path("response");
      assertThat(completed.at("/output/0/content/0/text").asText()).isEqualTo("The quick brown fox jumps over the lazy dog.");
      assertThat(completed.path("model").asText()).as("the model that finished the answer").isEqualTo(AnthropicFixtures.MODEL);
      assertThat(raw.headers().firstValue("x-baton-model")).as("who started answering").hasValue("gpt");
    }

    @Test
    void aStreamThatCannotBeCompletedEndsWithResponseFailedNeverCompleted() {
      env.solo.always(Reply.sse(OpenAiFixtures.numberedStream("solo-model", 30)).cutAfter(5));

      List<ResponseStreamEvent> events = stream(ask("solo", "count"));

      ResponseStreamEvent last = events.get(events.size() - 1);
      assertThat(last.failed()).as("the last event is response.failed").isPresent();
      assertThat(events).noneMatch(e -> e.completed().isPresent());
      Response failed = last.failed().orElseThrow().response();
      assertThat(failed.status()).hasValueSatisfying(s -> assertThat(s.asString()).isEqualTo("failed"));
      assertThat(failed.error().orElseThrow().message()).contains("solo");
      assertThat(deltas(events)).startsWith("t0 t1 ");
      assertThat(text(failed)).as("what was sent before the break").isEqualTo(deltas(events));
    }
  }

  @Nested
  class Native {

    @Test
    void passesTheBodyThroughAndTheAnswerBackAsTheyCame() {
      String answer = ResponsesFixtures.textResponse("Hello from the Responses API!");
      env.nativeApi.always(Reply.json(200, answer));
      String body = "{\"model\":\"native\",\"input\":\"Hello!\",\"reasoning\":{\"effort\":\"low\"},"
          + "\"include\":[\"message.output_text.logprobs\"],\"top_logprobs\":2,\"store\":true}";

      HttpResponse<String> raw = env.post("/v1/responses", body);

      assertThat(raw.statusCode()).isEqualTo(200);
      assertThat(raw.body()).as("the upstream's Response, byte for byte").isEqualTo(answer);
      assertThat(raw.headers().firstValue("x-baton-model")).hasValue("native");
      RecordedRequest sent = env.nativeApi.lastRequest();
      assertThat(sent.path()).isEqualTo("/v1/responses");
      assertThat(sent.header("authorization")).isEqualTo("Bearer " + ResponsesGateway.NATIVE_KEY);
      assertThat(sent.bodyText()).isEqualTo("{\"model\":\"gpt-4o-mini\",\"input\":\"Hello!\",\"reasoning\":"
          + "{\"effort\":\"low\"},\"include\":[\"message.output_text.logprobs\"],\"top_logprobs\":2,\"store\":true,"
          + "\"stream\":false}");
    }

    @Test
    void streamsTheUpstreamsEventsAsTheyCame() {
      List<String> upstream = ResponsesFixtures.textStream("Why", " did", " the scarecrow");
      env.nativeApi.always(Reply.sse(upstream));

      HttpResponse<String> raw = env.post("/v1/responses", "{\"model\":\"native\",\"input\":\"joke\",\"stream\":true}");
      List<ResponseStreamEvent> viaSdk = stream(ask("native", "joke").toBuilder().build());

      assertThat(raw.body()).isEqualTo(String.join("", upstream));
      assertThat(deltas(viaSdk)).isEqualTo("Why did the scarecrow");
      assertThat(viaSdk.get(viaSdk.size() - 1).completed()).isPresent();
    }

    @Test
    void aNativeAnswerIsStoredAndContinuedOnAnotherProvider() {
      env.nativeApi.always(Reply.json(200, ResponsesFixtures.textResponse("I am the native answer.")));
      env.claude.always(Reply.json(200, AnthropicFixtures.message("And I continue it.", "end_turn")));

      Response first = env.client.responses().create(ask("native", "Who are you?"));
      Response retrieved = env.client.responses().retrieve(first.id());
      Response second = env.client.responses().create(ResponseCreateParams.builder().model("claude")
          .previousResponseId(first.id()).input("And then?").build());

      assertThat(first.id()).isEqualTo(ResponsesFixtures.RESPONSE_ID);
      assertThat(text(retrieved)).isEqualTo("I am the native answer.");
      assertThat(text(second)).isEqualTo("And I continue it.");
      assertThat(json(env.claude.lastRequest()).path("messages")).hasSize(3);
      assertThat(json(env.claude.lastRequest()).at("/messages/1/content/0/text").asText())
          .isEqualTo("I am the native answer.");
    }

    @Test
    void aTranslatedConversationContinuesOnTheNativeDeploymentAsItems() {
      env.chat.always(Reply.json(200, OpenAiFixtures.chatCompletion("gpt-4o", "First answer.")));
      env.nativeApi.always(Reply.json(200, ResponsesFixtures.textResponse("Second answer.")));

      Response first = env.client.responses().create(ask("gpt", "First question"));
      env.client.responses().create(ResponseCreateParams.builder().model("native").previousResponseId(first.id())
          .input("Second question").build());

      JsonNode sent = json(env.nativeApi.lastRequest());
      assertThat(sent.has("previous_response_id")).as("the gateway's id means nothing upstream").isFalse();
      assertThat(sent.path("input")).isEqualTo(json("[{\"type\":\"message\",\"role\":\"user\",\"content\":\"First question\"},"
          + "{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],"
          + "\"text\":\"First answer.\"}],\"role\":\"assistant\"},"
          + "{\"type\":\"message\",\"role\":\"user\",\"content\":\"Second question\"}]"));
    }

    @Test
    void anImageIsSizedAsTheTokensItCostsNotTheBytesItTakes() {
      env.nativeApi.always(Reply.json(200, ResponsesFixtures.textResponse("A red square.")));
      String image = "data:image/png;base64," + "A".repeat(200_000); // 50,000 tokens, if sized by its bytes

      HttpResponse<String> raw = env.post("/v1/responses", "{\"model\":\"native\",\"input\":[{\"role\":\"user\","
          + "\"content\":[{\"type\":\"input_text\",\"text\":\"What is this?\"},{\"type\":\"input_image\","
          + "\"image_url\":\"" + image + "\"}]}]}");

      assertThat(raw.statusCode()).isEqualTo(200);
      assertThat(raw.headers().firstValue("x-baton-model")).as("not taken for too big for its 20,000 tokens")
          .hasValue("native");
    }

    @Test
    void aFailingNativeDeploymentFallsBackToATranslatedOne() {
      env.nativeApi.always(Reply.json(500, OpenAiFixtures.error("boom", "server_error", null)));
      env.claude.always(Reply.json(200, AnthropicFixtures.message("Claude took over.", "end_turn")));

      HttpResponseFor<Response> raw = env.client.responses().withRawResponse().create(ask("native", "hi"));

      assertThat(text(raw.parse())).isEqualTo("Claude took over.");
      assertThat(raw.headers().values("x-baton-model")).containsExactly("claude");
      assertThat(raw.parse().id()).startsWith("resp_");
    }

    @Test
    void aNativeOnlyFieldGoesToTheNativeDeploymentAndIsNotTranslatedForItsFallback() {
      env.nativeApi.always(Reply.json(503, OpenAiFixtures.error("overloaded", "server_error", null)));

      HttpResponse<String> raw = env.post("/v1/responses",
          "{\"model\":\"native\",\"input\":\"hi\",\"reasoning\":{\"effort\":\"low\"}}");

      assertThat(env.nativeApi.requests()).hasSize(1);
      assertThat(env.claude.requests()).as("claude cannot take reasoning settings").isEmpty();
      assertThat(raw.statusCode()).as("the last attempt's status: claude's refusal").isEqualTo(400);
      assertThat(json(raw.body()).at("/error/message").asText()).as("every model named, and why")
          .contains("native").contains("overloaded").contains("claude").contains("'reasoning'");
    }

    @Test
    void aNativeStreamCutMidAnswerIsContinuedByATranslatedDeployment() {
      List<String> upstream = ResponsesFixtures.brokenTextStream("The quick brown", " fox jumps");
      env.nativeApi.always(Reply.sse(upstream).cutAfter(upstream.size()));
      env.claude.always(Reply.sse(AnthropicFixtures.textStream(" over the lazy", " dog.")));

      HttpResponse<String> raw = env.post("/v1/responses", "{\"model\":\"native\",\"input\":\"Finish\",\"stream\":true}");
      List<Sse> events = events(raw.body());

      assertNumberedFromZero(events);
      assertThat(raw.body()).startsWith(String.join("", upstream));
      List<Sse> deltas = events.stream().filter(e -> e.type().equals("response.output_text.delta")).toList();
      assertThat(deltas).extracting(e -> e.data().path("item_id").asText()).containsOnly(ResponsesFixtures.MESSAGE_ID);
      assertThat(deltas).extracting(e -> e.data().path("delta").asText())
          .containsExactly("The quick brown", " fox jumps", " over the lazy", " dog.");
      JsonNode completed = events.get(events.size() - 1).data().path("response");
      assertThat(events.get(events.size() - 1).type()).isEqualTo("response.completed");
      assertThat(completed.path("id").asText()).isEqualTo(ResponsesFixtures.RESPONSE_ID);
      assertThat(completed.at("/output/0/id").asText()).isEqualTo(ResponsesFixtures.MESSAGE_ID);
      assertThat(completed.at("/output/0/content/0/text").asText()).isEqualTo("The quick brown fox jumps over the lazy dog.");
      assertThat(env.call("GET", "/v1/responses/" + ResponsesFixtures.RESPONSE_ID).statusCode())
          .as("stored under the upstream's id").isEqualTo(200);
    }
  }
}
