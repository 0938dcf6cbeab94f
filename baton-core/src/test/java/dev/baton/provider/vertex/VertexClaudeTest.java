package dev.baton.provider.vertex;

import static dev.baton.provider.ProviderTests.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.baton.AuthenticationException;
import dev.baton.BadRequestException;
import dev.baton.ChatChunk;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.ContextWindowExceededException;
import dev.baton.FinishReason;
import dev.baton.RateLimitedException;
import dev.baton.ServerErrorException;
import dev.baton.Tool;
import dev.baton.UpstreamException;
import dev.baton.testkit.AnthropicFixtures;
import dev.baton.testkit.FakeGoogleAuth;
import dev.baton.testkit.Reply;
import dev.baton.testkit.VertexFixtures;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Claude on Vertex AI: Anthropic's Messages body without its {@code model} (the path names it) and with
 * {@code anthropic_version: vertex-2023-10-16}, posted to {@code rawPredict} or {@code streamRawPredict};
 * Anthropic's answers and errors, and Vertex's own errors in Google's shape, wrapped in an array.
 */
class VertexClaudeTest {

  private static final String MODEL = "claude-sonnet-4@20250514";
  private static final String RAW_PREDICT = VertexFixtures.path(FakeGoogleAuth.PROJECT, Harness.LOCATION,
      "anthropic", MODEL, "rawPredict");

  @Test
  void aChatIsTheMessagesBodyAtRawPredictWithTheVertexVersion() {
    try (Harness h = new Harness("anthropic/" + MODEL)) {
      h.answer(Reply.json(200, AnthropicFixtures.message("Hello from Claude", "end_turn")));

      ChatResponse answer = h.chat(ChatRequest.builder().system("Be brief.").user("Hello").build());

      assertThat(h.last().path()).isEqualTo(RAW_PREDICT);
      assertThat(h.last().header("authorization")).isEqualTo("Bearer " + FakeGoogleAuth.token(1));
      assertThat(h.last().header("x-api-key")).isNull();
      assertThat(h.lastBody()).isEqualTo(json("""
          {"anthropic_version":"vertex-2023-10-16","max_tokens":4096,"system":"Be brief.",
           "messages":[{"role":"user","content":[{"type":"text","text":"Hello"}]}]}"""));
      assertThat(answer.text()).isEqualTo("Hello from Claude");
      assertThat(answer.finishReason()).isEqualTo(FinishReason.STOP);
    }
  }

  @Test
  void aStreamGoesToStreamRawPredict() {
    try (Harness h = new Harness("anthropic/" + MODEL)) {
      h.answer(Reply.sse(AnthropicFixtures.textStream("Hello", " from", " Vertex")));

      List<ChatChunk> chunks = h.stream(ChatRequest.of("Hello"));

      assertThat(h.last().path()).isEqualTo(RAW_PREDICT.replace(":rawPredict", ":streamRawPredict"));
      assertThat(h.lastBody().path("stream").asBoolean()).isTrue();
      assertThat(h.lastBody().has("model")).isFalse();
      assertThat(chunks.stream().map(ChatChunk::content).filter(c -> c != null).collect(Collectors.joining()))
          .isEqualTo("Hello from Vertex");
      assertThat(chunks).anySatisfy(c -> assertThat(c.finishReason()).isEqualTo(FinishReason.STOP));
    }
  }

  @Test
  void aToolUseIsAToolCall() {
    try (Harness h = new Harness("anthropic/" + MODEL)) {
      h.answer(Reply.json(200, AnthropicFixtures.TOOL_USE));
      Tool weather = Tool.function("get_weather", "Current weather", "{\"type\":\"object\",\"properties\":"
          + "{\"location\":{\"type\":\"string\"}}}");

      ChatResponse answer = h.chat(ChatRequest.builder().user("Weather in SF?").tool(weather).build());

      assertThat(h.lastBody().path("tools").get(0).path("name").asText()).isEqualTo("get_weather");
      assertThat(answer.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
      assertThat(answer.toolCalls()).singleElement()
          .satisfies(call -> assertThat(call.arguments()).contains("San Francisco, CA"));
    }
  }

  @Test
  void maxTokensIsAnOptionAsForAnthropic() {
    try (Harness h = new Harness("anthropic/" + MODEL)) {
      var provider = h.create(h.deployment("anthropic/" + MODEL).option("max_tokens", "1024").build());
      h.answer(Reply.json(200, AnthropicFixtures.message("Hi", "end_turn")));

      provider.chat(ChatRequest.of("Hello"), Harness.call());

      assertThat(h.lastBody().path("max_tokens").asInt()).isEqualTo(1024);
    }
  }

  @Test
  void vertexQuotaInAnArrayIsARateLimit() {
    RateLimitedException e = failure(429, VertexFixtures.CLAUDE_QUOTA_EXCEEDED, RateLimitedException.class);

    assertThat(e.upstreamCode()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(e.getMessage()).contains("Quota exceeded for aiplatform.googleapis.com");
  }

  @Test
  void aModelNotEnabledForTheProjectIsAnAuthenticationFailureSoTheRouterFallsBack() {
    AuthenticationException e = failure(400, VertexFixtures.CLAUDE_NOT_ENABLED, AuthenticationException.class);

    assertThat(e.upstreamCode()).isEqualTo("FAILED_PRECONDITION");
  }

  @Test
  void anthropicsOwnErrorsKeepTheirMeaning() {
    failure(400, AnthropicFixtures.error("invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum"),
        ContextWindowExceededException.class);
    failure(400, AnthropicFixtures.error("invalid_request_error", "max_tokens: Field required"),
        BadRequestException.class);
    failure(529, AnthropicFixtures.OVERLOADED, ServerErrorException.class);
    failure(401, VertexFixtures.UNAUTHENTICATED, AuthenticationException.class);
  }

  private static <T extends UpstreamException> T failure(int status, String body, Class<T> type) {
    try (Harness h = new Harness("anthropic/" + MODEL)) {
      h.answer(Reply.json(status, body));
      Throwable thrown = catchThrowableOfType(Throwable.class, () -> h.chat(ChatRequest.of("Hi")));
      assertThat(thrown).as("the failure for %d %s", status, body).isInstanceOf(type);
      return type.cast(thrown);
    }
  }
}
