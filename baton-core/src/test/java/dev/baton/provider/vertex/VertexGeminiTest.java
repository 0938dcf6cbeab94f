package dev.baton.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.baton.AuthenticationException;
import dev.baton.ChatChunk;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.ContextWindowExceededException;
import dev.baton.FinishReason;
import dev.baton.NotFoundException;
import dev.baton.RateLimitedException;
import dev.baton.ServerErrorException;
import dev.baton.Tool;
import dev.baton.UpstreamException;
import dev.baton.testkit.FakeGoogleAuth;
import dev.baton.testkit.GeminiFixtures;
import dev.baton.testkit.Reply;
import dev.baton.testkit.VertexFixtures;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Gemini on Vertex AI: Gemini's body at Vertex's path with a bearer token, and Vertex's errors classified. */
class VertexGeminiTest {

  private static final String PATH = VertexFixtures.path(FakeGoogleAuth.PROJECT, Harness.LOCATION, "google",
      "gemini-2.5-flash", "generateContent");

  @Test
  void aChatIsGeminisGenerateContentAtTheModelsVertexPath() {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      h.answer(Reply.json(200, VertexFixtures.geminiAnswer("Bonjour!")));

      ChatResponse answer = h.chat(ChatRequest.builder().system("Answer in French.").user("Hello").build());

      assertThat(h.last().method()).isEqualTo("POST");
      assertThat(h.last().path()).isEqualTo(PATH);
      assertThat(h.last().header("x-goog-api-key")).as("no API key header on Vertex AI").isNull();
      assertThat(h.lastBody().path("contents").get(0).path("role").asText()).isEqualTo("user");
      assertThat(h.lastBody().path("systemInstruction").path("parts").get(0).path("text").asText())
          .isEqualTo("Answer in French.");
      assertThat(answer.text()).isEqualTo("Bonjour!");
      assertThat(answer.usage().promptTokens()).isEqualTo(11);
      assertThat(answer.usage().completionTokens()).isEqualTo(7);
    }
  }

  @Test
  void aGooglePublisherPrefixIsTheSameModel() {
    try (Harness h = new Harness("google/gemini-2.5-flash")) {
      h.answer(Reply.json(200, VertexFixtures.geminiAnswer("Hi")));

      h.chat(ChatRequest.of("Hello"));

      assertThat(h.last().path()).isEqualTo(PATH);
    }
  }

  @Test
  void theGlobalLocationIsServedWithoutARegionInTheHost() {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      // Without api_base the host would be aiplatform.googleapis.com; the path names the location.
      var provider = h.create(h.deployment("gemini-2.5-flash").option(VertexFactory.LOCATION, "global").build());
      h.answer(Reply.json(200, VertexFixtures.geminiAnswer("Hi")));

      provider.chat(ChatRequest.of("Hello"), Harness.call());

      assertThat(h.last().path()).isEqualTo(VertexFixtures.path(FakeGoogleAuth.PROJECT, "global", "google",
          "gemini-2.5-flash", "generateContent"));
    }
  }

  @Test
  void aStreamIsStreamGenerateContentWithSse() {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      h.answer(Reply.sse(GeminiFixtures.textStream()));

      List<ChatChunk> chunks = h.stream(ChatRequest.of("Why is the sky blue?"));

      assertThat(h.last().path()).isEqualTo(PATH.replace(":generateContent", ":streamGenerateContent"));
      assertThat(h.last().query()).isEqualTo("alt=sse");
      assertThat(chunks.stream().map(ChatChunk::content).filter(c -> c != null).collect(Collectors.joining()))
          .isEqualTo("The sky is blue because of Rayleigh scattering.");
      assertThat(chunks).anySatisfy(c -> assertThat(c.finishReason()).isEqualTo(FinishReason.STOP));
    }
  }

  @Test
  void aFunctionCallIsAToolCall() {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      h.answer(Reply.json(200, GeminiFixtures.FUNCTION_CALL));
      Tool weather = Tool.function("get_weather", "Current weather", "{\"type\":\"object\",\"properties\":"
          + "{\"city\":{\"type\":\"string\"}}}");

      ChatResponse answer = h.chat(ChatRequest.builder().user("Weather in Paris?").tool(weather).build());

      assertThat(h.lastBody().path("tools").get(0).path("functionDeclarations").get(0).path("name").asText())
          .isEqualTo("get_weather");
      assertThat(answer.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
      assertThat(answer.toolCalls()).extracting(dev.baton.ToolCall::name).containsExactly("get_weather", "get_time");
      assertThat(answer.toolCalls().get(0).arguments()).isEqualTo("{\"city\":\"Paris\",\"unit\":\"celsius\"}");
    }
  }

  @Test
  void vertexErrorsLandInTheFamilyTheRouterActsOn() {
    assertThat(failure(401, VertexFixtures.UNAUTHENTICATED)).isInstanceOf(AuthenticationException.class);
    assertThat(failure(403, VertexFixtures.PERMISSION_DENIED)).isInstanceOf(AuthenticationException.class)
        .satisfies(e -> assertThat(e.upstreamCode()).isEqualTo("IAM_PERMISSION_DENIED"));
    assertThat(failure(404, VertexFixtures.NOT_FOUND)).isInstanceOf(NotFoundException.class);
    assertThat(failure(429, VertexFixtures.RESOURCE_EXHAUSTED)).isInstanceOf(RateLimitedException.class);
    assertThat(failure(400, VertexFixtures.GEMINI_TOKEN_LIMIT)).isInstanceOf(ContextWindowExceededException.class);
    assertThat(failure(503, VertexFixtures.UNAVAILABLE)).isInstanceOf(ServerErrorException.class);
  }

  @Test
  void noMessageHoldsTheAccessToken() {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      h.answer(request -> Reply.json(400, """
          {"error":{"code":400,"message":"Invalid header: %s","status":"INVALID_ARGUMENT"}}"""
          .formatted(request.header("authorization"))));

      UpstreamException e = catchThrowableOfType(UpstreamException.class, () -> h.chat(ChatRequest.of("Hi")));

      assertThat(e.getMessage()).doesNotContain(FakeGoogleAuth.token(1)).contains("Invalid header");
    }
  }

  private static UpstreamException failure(int status, String body) {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      h.answer(Reply.json(status, body));
      UpstreamException e = catchThrowableOfType(UpstreamException.class, () -> h.chat(ChatRequest.of("Hi")));
      assertThat(e).as("the failure for a %d", status).isNotNull();
      assertThat(e.httpStatus()).isEqualTo(status);
      return e;
    }
  }
}
