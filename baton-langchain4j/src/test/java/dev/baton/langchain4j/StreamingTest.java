package dev.baton.langchain4j;

import static dev.baton.testkit.OpenAiFixtures.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.Attempt;
import dev.baton.testkit.AnthropicFixtures;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.Reply;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.TokenStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link BatonStreamingChatModel} under {@code AiServices}' {@link TokenStream}, over failing primaries. */
class StreamingTest {

  interface Assistant {
    TokenStream chat(String message);
  }

  /** What a token stream delivered to the application. */
  static final class Received {
    final List<String> partials = new CopyOnWriteArrayList<>();
    final List<PartialToolCall> partialToolCalls = new CopyOnWriteArrayList<>();
    final CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    Received(TokenStream stream) {
      stream.onPartialResponse(partials::add)
          .onPartialToolCall(partialToolCalls::add)
          .onCompleteResponse(done::complete)
          .onError(done::completeExceptionally)
          .start();
    }

    ChatResponse await() throws Exception {
      return done.get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void aStreamBrokenMidAnswerIsFinishedByTheFallback() throws Exception {
    try (FakeUpstream openai = FakeUpstream.start(); FakeUpstream anthropic = FakeUpstream.start()) {
      openai.enqueue(Reply.sse(OpenAiFixtures.stream("gpt-4o", "The answer ", "to everything ", "is 42.")).cutAfter(3))
          .always(Reply.json(503, error("The engine is currently overloaded.", "server_error", null)));
      anthropic.always(Reply.sse(AnthropicFixtures.textStream("is 42.")));
      try (BatonStreamingChatModel model = BatonStreamingChatModel.builder()
          .baton(Fakes.baton(openai, anthropic)).build()) {
        Assistant assistant = AiServices.builder(Assistant.class).streamingChatModel(model).build();

        Received received = new Received(assistant.chat("What is the answer?"));
        ChatResponse response = received.await();

        assertThat(String.join("", received.partials)).isEqualTo("The answer to everything is 42.");
        assertThat(response.aiMessage().text()).isEqualTo("The answer to everything is 42.");
        assertThat(response.metadata().modelName()).isEqualTo(Fakes.FALLBACK);
        assertThat(((BatonChatResponseMetadata) response.metadata()).attempts())
            .as("the break, two retries of the continuation on the primary, then the fallback")
            .extracting(Attempt::model, Attempt::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Fakes.PRIMARY, Attempt.Outcome.FAILED),
                org.assertj.core.groups.Tuple.tuple(Fakes.PRIMARY, Attempt.Outcome.FAILED),
                org.assertj.core.groups.Tuple.tuple(Fakes.PRIMARY, Attempt.Outcome.FAILED),
                org.assertj.core.groups.Tuple.tuple(Fakes.FALLBACK, Attempt.Outcome.SUCCEEDED));
        JsonNode continuation = Fakes.body(anthropic.lastRequest()).get("messages");
        assertThat(continuation.get(continuation.size() - 1).get("role").asText()).isEqualTo("assistant");
        assertThat(continuation.get(continuation.size() - 1).toString()).contains("The answer to everything");
      }
    }
  }

  static final class WeatherTools {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Tool(name = "get_weather", value = "The current weather in a location")
    String getWeather(String location, String unit) {
      calls.add(location + " in " + unit);
      return "18 degrees and sunny";
    }
  }

  @Test
  void aStreamedToolCallRunsTheToolAfterARateLimitedPrimary() throws Exception {
    try (FakeUpstream openai = FakeUpstream.start(); FakeUpstream anthropic = FakeUpstream.start()) {
      openai.always(Reply.json(429, error("Rate limit reached", "requests", "rate_limit_exceeded"))
          .header("Retry-After", "20"));
      anthropic.enqueue(
          Reply.sse(AnthropicFixtures.toolUseStream("toolu_01", "get_weather", "{\"location\": \"Paris\",",
              " \"unit\": \"celsius\"}")),
          Reply.sse(AnthropicFixtures.textStream("It is 18 degrees ", "and sunny in Paris.")));
      WeatherTools tools = new WeatherTools();
      try (BatonStreamingChatModel model = BatonStreamingChatModel.builder()
          .baton(Fakes.baton(openai, anthropic)).build()) {
        Assistant assistant = AiServices.builder(Assistant.class)
            .streamingChatModel(model)
            .chatMemory(MessageWindowChatMemory.withMaxMessages(10))
            .tools(tools)
            .build();

        Received received = new Received(assistant.chat("Weather in Paris?"));
        ChatResponse response = received.await();

        assertThat(tools.calls).containsExactly("Paris in celsius");
        assertThat(received.partialToolCalls).extracting(PartialToolCall::partialArguments)
            .containsExactly("{\"location\": \"Paris\",", " \"unit\": \"celsius\"}");
        assertThat(received.partialToolCalls).allSatisfy(p -> {
          assertThat(p.id()).isEqualTo("toolu_01");
          assertThat(p.name()).isEqualTo("get_weather");
        });
        assertThat(response.aiMessage().text()).isEqualTo("It is 18 degrees and sunny in Paris.");
        assertThat(response.tokenUsage().outputTokenCount()).as("the tool call's 89 and the answer's 15")
            .isEqualTo(104);
        JsonNode toolResult = Fakes.body(anthropic.lastRequest()).get("messages").get(2).get("content").get(0);
        assertThat(toolResult.get("tool_use_id").asText()).isEqualTo("toolu_01");
      }
    }
  }

  @Test
  void aStreamNoModelCanStartEndsInOnErrorWithTheRateLimit() throws Exception {
    try (FakeUpstream openai = FakeUpstream.start(); FakeUpstream anthropic = FakeUpstream.start()) {
      openai.always(Reply.json(429, error("Rate limit reached", "requests", "rate_limit_exceeded"))
          .header("Retry-After", "20"));
      anthropic.always(Reply.json(429, AnthropicFixtures.error("rate_limit_error", "Too many requests"))
          .header("retry-after", "20"));
      try (BatonStreamingChatModel model = BatonStreamingChatModel.builder()
          .baton(Fakes.baton(openai, anthropic)).build()) {
        Assistant assistant = AiServices.builder(Assistant.class).streamingChatModel(model).build();

        Received received = new Received(assistant.chat("Hello"));

        assertThat(received.done).failsWithin(java.time.Duration.ofSeconds(20))
            .withThrowableOfType(java.util.concurrent.ExecutionException.class)
            .havingCause().isInstanceOf(RateLimitException.class);
        assertThat(received.partials).isEmpty();
      }
    }
  }
}
