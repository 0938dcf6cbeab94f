package dev.baton.langchain4j;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static dev.baton.testkit.OpenAiFixtures.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.AllModelsFailedException;
import dev.baton.Attempt;
import dev.baton.testkit.AnthropicFixtures;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.RecordedRequest;
import dev.baton.testkit.Reply;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.SystemMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * An {@code AiServices} assistant with tools and chat memory, on a {@link BatonChatModel} whose primary
 * (OpenAI) fails and whose fallback (Anthropic) answers: the application sees only the answer.
 */
class AiServicesFallbackTest {

  interface Assistant {
    @SystemMessage("You are a weather assistant.")
    String chat(String message);
  }

  record Forecast(String location, int celsius) {}

  interface Forecaster {
    Forecast forecast(String question);
  }

  static final class WeatherTools {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Tool(name = "get_weather", value = "The current weather in a location")
    String getWeather(@P("the city and state") String location, @P("celsius or fahrenheit") String unit) {
      calls.add(location + " in " + unit);
      return "18 degrees and sunny";
    }
  }

  static Stream<Reply> primaryFailures() {
    return Stream.of(
        Reply.json(429, error("Rate limit reached for gpt-4o", "requests", "rate_limit_exceeded"))
            .header("Retry-After", "20"),
        Reply.json(500, error("The server had an error while processing your request.", "server_error", null)),
        Reply.reset());
  }

  @ParameterizedTest
  @MethodSource("primaryFailures")
  void toolsAndMemoryWorkAcrossAFailingPrimary(Reply failure) {
    try (FakeUpstream openai = FakeUpstream.start(); FakeUpstream anthropic = FakeUpstream.start()) {
      openai.always(failure);
      anthropic.enqueue(
          Reply.json(200, AnthropicFixtures.TOOL_USE),
          Reply.json(200, AnthropicFixtures.message("It is 18 degrees and sunny in San Francisco.", "end_turn")),
          Reply.json(200, AnthropicFixtures.message("You asked about San Francisco.", "end_turn")));
      WeatherTools tools = new WeatherTools();
      try (BatonChatModel model = BatonChatModel.builder().baton(Fakes.baton(openai, anthropic)).build()) {
        Assistant assistant = AiServices.builder(Assistant.class)
            .chatModel(model)
            .chatMemory(MessageWindowChatMemory.withMaxMessages(20))
            .tools(tools)
            .build();

        String answer = assistant.chat("What is the weather in San Francisco?");
        String followUp = assistant.chat("Which city did I ask about?");

        assertThat(answer).isEqualTo("It is 18 degrees and sunny in San Francisco.");
        assertThat(followUp).isEqualTo("You asked about San Francisco.");
        assertThat(tools.calls).containsExactly("San Francisco, CA in celsius");

        JsonNode toolTurn = Fakes.body(anthropic.requests().get(1));
        assertThat(toolTurn.get("tools").get(0).get("name").asText()).isEqualTo("get_weather");
        assertThat(toolTurn.get("tools").get(0).get("input_schema").get("required"))
            .extracting(JsonNode::asText).containsExactly("location", "unit");
        JsonNode messages = toolTurn.get("messages");
        assertThat(messages.get(1).get("content").get(1).get("type").asText()).isEqualTo("tool_use");
        JsonNode result = messages.get(2).get("content").get(0);
        assertThat(result.get("type").asText()).isEqualTo("tool_result");
        assertThat(result.get("tool_use_id").asText()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat(result.toString()).contains("18 degrees and sunny");

        JsonNode memoryTurn = Fakes.body(anthropic.lastRequest());
        assertThat(memoryTurn.get("system").toString()).contains("You are a weather assistant.");
        assertThat(memoryTurn.get("messages")).hasSize(5);
        assertThat(memoryTurn.get("messages").get(0).toString()).contains("What is the weather in San Francisco?");
        assertThat(memoryTurn.get("messages").get(4).toString()).contains("Which city did I ask about?");

        JsonNode sentToPrimary = Fakes.body(openai.requests().get(0));
        assertThat(sentToPrimary.get("tools").get(0).get("function").get("name").asText()).isEqualTo("get_weather");
      }
    }
  }

  @Test
  void structuredOutputArrivesAsARecordFromTheFallback() {
    try (FakeUpstream openai = FakeUpstream.start(); FakeUpstream anthropic = FakeUpstream.start()) {
      openai.always(Reply.json(503, error("The engine is currently overloaded.", "server_error", null)));
      anthropic.always(Reply.json(200, AnthropicFixtures.message("{\"location\":\"Paris\",\"celsius\":18}",
          "end_turn")));
      try (BatonChatModel model = BatonChatModel.builder().baton(Fakes.baton(openai, anthropic)).build()) {
        Forecaster forecaster = AiServices.create(Forecaster.class, model);

        Forecast forecast = forecaster.forecast("How warm is Paris?");

        assertThat(forecast).isEqualTo(new Forecast("Paris", 18));
        JsonNode format = Fakes.body(openai.requests().get(0)).get("response_format");
        assertThat(format.get("type").asText()).isEqualTo("json_schema");
        assertThat(format.get("json_schema").get("name").asText()).isEqualTo("Forecast");
        JsonNode schema = format.get("json_schema").get("schema");
        assertThat(schema.get("properties").get("location").get("type").asText()).isEqualTo("string");
        assertThat(schema.get("properties").get("celsius").get("type").asText()).isEqualTo("integer");
      }
    }
  }

  @Test
  void answersFromTheFirstModelWhenItWorks() {
    try (FakeUpstream openai = FakeUpstream.start(); FakeUpstream anthropic = FakeUpstream.start()) {
      openai.always(Reply.json(200, chatCompletion("gpt-4o-2024-08-06", "Hello from OpenAI.")));
      try (BatonChatModel model = BatonChatModel.builder().baton(Fakes.baton(openai, anthropic)).build()) {

        String answer = model.chat("Hello");

        assertThat(answer).isEqualTo("Hello from OpenAI.");
        assertThat(anthropic.requests()).isEmpty();
      }
    }
  }

  @Test
  void listenersSeeEachRequestOnceWithTheAttemptTrail() {
    try (FakeUpstream openai = FakeUpstream.start(); FakeUpstream anthropic = FakeUpstream.start()) {
      openai.always(Reply.json(500, error("The server had an error.", "server_error", null)).header("Retry-After", "0"));
      anthropic.always(Reply.json(200, AnthropicFixtures.message("Hello from Claude.", "end_turn")));
      Recorder recorder = new Recorder();
      try (BatonChatModel model = BatonChatModel.builder().baton(Fakes.baton(openai, anthropic))
          .listener(recorder).build()) {

        model.chat("Hello");

        assertThat(recorder.events).containsExactly("request", "response");
        assertThat(recorder.attempts).extracting(Attempt::model, Attempt::outcome).containsExactly(
            org.assertj.core.groups.Tuple.tuple(Fakes.PRIMARY, Attempt.Outcome.FAILED),
            org.assertj.core.groups.Tuple.tuple(Fakes.PRIMARY, Attempt.Outcome.FAILED),
            org.assertj.core.groups.Tuple.tuple(Fakes.PRIMARY, Attempt.Outcome.FAILED),
            org.assertj.core.groups.Tuple.tuple(Fakes.FALLBACK, Attempt.Outcome.SUCCEEDED));
        assertThat(openai.requests()).hasSize(3);
      }
    }
  }

  @Test
  void failuresAreLangChain4jExceptionsCarryingTheAttempts() {
    try (FakeUpstream openai = FakeUpstream.start(); FakeUpstream anthropic = FakeUpstream.start()) {
      openai.always(Reply.json(429, error("Rate limit reached", "requests", "rate_limit_exceeded"))
          .header("Retry-After", "30"));
      anthropic.always(Reply.json(429, AnthropicFixtures.error("rate_limit_error", "Number of requests exceeded"))
          .header("retry-after", "30"));
      Recorder recorder = new Recorder();
      try (BatonChatModel model = BatonChatModel.builder().baton(Fakes.baton(openai, anthropic))
          .listener(recorder).build()) {

        assertThatThrownBy(() -> model.chat("Hello"))
            .isInstanceOf(RateLimitException.class)
            .hasMessageContaining(Fakes.PRIMARY).hasMessageContaining(Fakes.FALLBACK)
            .cause().isInstanceOf(AllModelsFailedException.class);
        assertThat(recorder.events).containsExactly("request", "error");
        assertThat(recorder.attempts).extracting(Attempt::model).containsExactly(Fakes.PRIMARY, Fakes.FALLBACK);
      }
    }
  }

  /** A listener that writes down what it saw, the attempt trail included. */
  static final class Recorder implements ChatModelListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    volatile List<Attempt> attempts;

    @Override
    public void onRequest(ChatModelRequestContext context) {
      events.add("request");
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onResponse(ChatModelResponseContext context) {
      events.add("response");
      attempts = (List<Attempt>) context.attributes().get(BatonChatResponseMetadata.ATTEMPTS_ATTRIBUTE);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onError(ChatModelErrorContext context) {
      events.add("error");
      attempts = (List<Attempt>) context.attributes().get(BatonChatResponseMetadata.ATTEMPTS_ATTRIBUTE);
    }
  }
}
