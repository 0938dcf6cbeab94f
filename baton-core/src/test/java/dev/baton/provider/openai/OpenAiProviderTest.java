package dev.baton.provider.openai;

import static dev.baton.testkit.OpenAiFixtures.DONE;
import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static dev.baton.testkit.OpenAiFixtures.chunk;
import static dev.baton.testkit.OpenAiFixtures.embeddings;
import static dev.baton.testkit.OpenAiFixtures.error;
import static dev.baton.testkit.OpenAiFixtures.finishChunk;
import static dev.baton.testkit.OpenAiFixtures.roleChunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.ChatChunk;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.CompletionRequest;
import dev.baton.EmbeddingRequest;
import dev.baton.RateLimitedException;
import dev.baton.ServerErrorException;
import dev.baton.UnreadableResponseException;
import dev.baton.config.Environment;
import dev.baton.config.ModelConfig;
import dev.baton.provider.Call;
import dev.baton.provider.ChunkSource;
import dev.baton.provider.MalformedEvents;
import dev.baton.provider.Provider;
import dev.baton.provider.ProviderContext;
import dev.baton.provider.ProviderTests;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.Reply;
import dev.baton.transport.HttpTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * How the OpenAI provider turns an upstream's success into an answer or a failure: bodies that are not
 * JSON, error objects sent with a success status, answers of the wrong shape, and stream events of each kind.
 */
class OpenAiProviderTest {

  private static final String MODEL = "llama3";

  private FakeUpstream upstream;
  private HttpTransport http;
  private Provider openAi;

  @BeforeEach
  void start() {
    upstream = FakeUpstream.start();
    http = new HttpTransport();
    ModelConfig config = ModelConfig.builder("local", "openai-compatible", MODEL)
        .apiBase(upstream.url("/v1"))
        .timeout(Duration.ofSeconds(5))
        .firstTokenTimeout(Duration.ofSeconds(5))
        .idleTimeout(Duration.ofSeconds(2))
        .build();
    OpenAiFactory compatible = OpenAiFactory.PRESETS.stream()
        .filter(preset -> preset.name().equals("openai-compatible")).findFirst().orElseThrow();
    openAi = compatible.create(config, new ProviderContext(Environment.of(Map.of()), http));
  }

  @AfterEach
  void stop() {
    http.close();
    upstream.close();
  }

  private static Call call() {
    return new Call("local", "openai-compatible", Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2),
        Long.MAX_VALUE);
  }

  @Nested
  class Answers {

    @Test
    void anAnswerIsReadAndItsBytesKept() {
      String body = chatCompletion("llama3:8b", "Hello");
      upstream.always(Reply.json(200, body));

      ChatResponse r = openAi.chat(ChatRequest.of("hi"), call());

      assertThat(r.text()).isEqualTo("Hello");
      assertThat(r.upstreamModel()).isEqualTo("llama3:8b");
      assertThat(new String(r.upstreamBody(), java.nio.charset.StandardCharsets.UTF_8))
          .as("the upstream's bytes, passed on unchanged").isEqualTo(body);
    }

    @Test
    void aSuccessCarryingOnlyAnErrorObjectIsClassifiedAsThatError() {
      upstream.always(Reply.json(200, error("Rate limit reached for requests", "requests", "rate_limit_exceeded")));

      assertThatThrownBy(() -> openAi.chat(ChatRequest.of("hi"), call()))
          .as("an error object under a 200 is the error it reports, not an unreadable answer")
          .isInstanceOf(RateLimitedException.class)
          .hasMessageContaining("Rate limit reached")
          .extracting(e -> ((RateLimitedException) e).httpStatus()).isEqualTo(200);
    }

    @Test
    void anErrorObjectUnderASuccessFailsCompletionsAndEmbeddingsToo() {
      upstream.always(Reply.json(200, error("The server had an error", "server_error", null)));

      assertThatThrownBy(() -> openAi.complete(CompletionRequest.of("Once"), call()))
          .isInstanceOf(ServerErrorException.class).hasMessageContaining("The server had an error");
      assertThatThrownBy(() -> openAi.embed(EmbeddingRequest.of("text"), call()))
          .isInstanceOf(ServerErrorException.class).hasMessageContaining("The server had an error");
    }

    @Test
    void anErrorFieldBesideTheChoicesDoesNotHideTheAnswer() {
      upstream.always(Reply.json(200, "{\"error\":null," + chatCompletion(MODEL, "still an answer").substring(1)));

      ChatResponse r = openAi.chat(ChatRequest.of("hi"), call());

      assertThat(r.text()).isEqualTo("still an answer");
    }

    @Test
    void anErrorFieldBesideTheDataDoesNotHideTheEmbeddings() {
      upstream.always(Reply.json(200, "{\"error\":null," + embeddings("e", new float[] {0.5f}).substring(1)));

      assertThat(openAi.embed(EmbeddingRequest.of("text"), call()).vector()).containsExactly(0.5f);
    }

    @Test
    void aBodyThatIsNotJsonIsAnUnreadableAnswerThatQuotesIt() {
      upstream.always(Reply.body(200, "application/json", "<html><body>502 Bad Gateway</body></html>"));

      assertThatThrownBy(() -> openAi.chat(ChatRequest.of("hi"), call()))
          .isInstanceOf(UnreadableResponseException.class)
          .hasMessage("the answer is not JSON: <html><body>502 Bad Gateway</body></html>");
    }

    @Test
    void anEmptyBodyIsNotJson() {
      upstream.always(Reply.body(200, "application/json", ""));

      assertThatThrownBy(() -> openAi.chat(ChatRequest.of("hi"), call()))
          .isInstanceOf(UnreadableResponseException.class)
          .hasMessageStartingWith("the answer is not JSON");
    }

    @Test
    void somethingAfterTheAnswerMakesTheBodyNotJson() {
      String answer = chatCompletion(MODEL, "Hello");
      for (String body : List.of(answer + " trailing", answer + answer, answer + "]")) {
        upstream.always(Reply.json(200, body));

        assertThatThrownBy(() -> openAi.chat(ChatRequest.of("hi"), call())).as(body)
            .isInstanceOf(UnreadableResponseException.class)
            .hasMessageStartingWith("the answer is not JSON");
      }
    }

    @Test
    void anAnswerCutShortIsNotJsonEvenWhenItsStartHasTheWrongShape() {
      upstream.always(Reply.json(200, "{\"choices\":[{\"index\":0}],\"usage\":{\"prompt_tokens\":"));

      assertThatThrownBy(() -> openAi.chat(ChatRequest.of("hi"), call()))
          .as("a body that is not JSON is reported as such, whatever came before the break")
          .isInstanceOf(UnreadableResponseException.class)
          .hasMessageStartingWith("the answer is not JSON");
    }

    @Test
    void anAnswerOfTheWrongShapeIsUnreadableAndSaysWhy() {
      upstream.always(Reply.json(200, "{\"id\":\"c\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\"}]}"));

      assertThatThrownBy(() -> openAi.chat(ChatRequest.of("hi"), call()))
          .isInstanceOf(UnreadableResponseException.class)
          .hasMessage("unreadable answer: a choice has no 'message' object");
    }

    @Test
    void anAnswerWithoutChoicesIsUnreadableAndSaysWhy() {
      upstream.always(Reply.json(200, "{\"id\":\"c\",\"object\":\"chat.completion\"}"));

      assertThatThrownBy(() -> openAi.chat(ChatRequest.of("hi"), call()))
          .isInstanceOf(UnreadableResponseException.class)
          .hasMessage("unreadable answer: the answer has no 'choices' array");
    }
  }

  @Nested
  class Streams {

    @Test
    void anErrorEventIsClassifiedWithTheStatusItsCodeNames() {
      upstream.always(Reply.sse(List.of(roleChunk(MODEL), chunk(MODEL, "Hel"),
          "data: {\"error\":{\"message\":\"Rate limit exceeded: free-models-per-min\",\"code\":429}}\n\n")));

      try (ChunkSource source = openAi.streamChat(ChatRequest.of("hi"), call())) {
        source.next();
        assertThat(source.next().content()).isEqualTo("Hel");
        assertThatThrownBy(source::next)
            .as("an event holding only an error is that error, classified by the status its code names")
            .isInstanceOf(RateLimitedException.class)
            .hasMessageContaining("free-models-per-min")
            .extracting(e -> ((RateLimitedException) e).httpStatus()).isEqualTo(429);
      }
    }

    @Test
    void anEventWithChoicesBesideAnErrorFieldIsAChunk() {
      upstream.always(Reply.sse(List.of(
          "data: {\"error\":null,\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n",
          finishChunk(MODEL, "stop"), DONE)));

      List<ChatChunk> chunks = ProviderTests.drain(openAi.streamChat(ChatRequest.of("hi"), call()));

      assertThat(chunks.get(0).content()).isEqualTo("Hi");
    }

    @Test
    void malformedEventsAreSkipped() {
      upstream.always(Reply.sse(List.of(roleChunk(MODEL),
          "data: {not json\n\n",
          "data: [\"not\",\"an\",\"object\"]\n\n",
          "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lost\"}}]} trailing\n\n",
          chunk(MODEL, "Hello"), finishChunk(MODEL, "stop"), DONE)));

      List<ChatChunk> chunks = ProviderTests.drain(openAi.streamChat(ChatRequest.of("hi"), call()));

      StringBuilder text = new StringBuilder();
      chunks.forEach(c -> text.append(c.text()));
      assertThat(text.toString())
          .as("an event that is not JSON, not an object, or followed by garbage is skipped; the rest is read")
          .isEqualTo("Hello");
    }

    @Test
    void moreMalformedEventsThanTheLimitFailTheStream() {
      List<String> events = new ArrayList<>();
      events.add(roleChunk(MODEL));
      for (int i = 0; i <= MalformedEvents.LIMIT; i++) {
        events.add(i % 2 == 0 ? "data: {not json\n\n" : "data: 42\n\n");
      }
      events.add(chunk(MODEL, "too late"));
      upstream.always(Reply.sse(events));

      assertThatThrownBy(() -> ProviderTests.drain(openAi.streamChat(ChatRequest.of("hi"), call())))
          .isInstanceOf(UnreadableResponseException.class)
          .hasMessageContaining("more than " + MalformedEvents.LIMIT + " events that cannot be read");
    }

    @Test
    void aWholeJsonAnswerInPlaceOfAStreamIsReplayedAsOne() {
      upstream.always(Reply.json(200, chatCompletion("llama3:8b", "Hello whole")));

      List<ChatChunk> chunks = ProviderTests.drain(openAi.streamChat(ChatRequest.of("hi"), call()));

      assertThat(chunks.get(0).content()).isEqualTo("Hello whole");
      assertThat(chunks.get(0).upstreamModel()).isEqualTo("llama3:8b");
      assertThat(chunks.get(1).usage()).isNotNull();
    }

    @Test
    void aWholeJsonBodyInPlaceOfAStreamIsAnErrorWheneverItHasAnErrorField() {
      upstream.always(Reply.json(200,
          "{\"error\":{\"message\":\"slow down\",\"code\":\"rate_limit_exceeded\"}," + chatCompletion(MODEL, "x")
              .substring(1)));

      assertThatThrownBy(() -> openAi.streamChat(ChatRequest.of("hi"), call()))
          .as("unlike a plain answer, choices beside the error do not make it an answer")
          .isInstanceOf(RateLimitedException.class)
          .hasMessageContaining("slow down");
    }

    @Test
    void aWholeBodyInPlaceOfAStreamThatIsNotJsonIsUnreadable() {
      upstream.always(Reply.body(200, "application/json", "{\"choices\":[]} {}"));

      assertThatThrownBy(() -> openAi.streamChat(ChatRequest.of("hi"), call()))
          .isInstanceOf(UnreadableResponseException.class)
          .hasMessageStartingWith("the answer is not JSON");
    }
  }
}
