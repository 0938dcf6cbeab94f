package dev.baton.server;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import dev.baton.testkit.ResponsesFixtures;
import dev.baton.testkit.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The response cache on {@code /v1/responses}, driven by openai-java: translated and natively passed-through
 * answers, plain and streamed, each hit a new stored response that a conversation can continue.
 */
class CacheResponsesTest {

  CacheGateway env;

  @BeforeEach
  void start() {
    env = new CacheGateway();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  static ResponseCreateParams ask(String model, String input) {
    return ResponseCreateParams.builder().model(model).input(input).build();
  }

  HttpResponseFor<Response> create(ResponseCreateParams params) {
    return env.openAiClient.responses().withRawResponse().create(params);
  }

  static String text(Response response) {
    StringBuilder text = new StringBuilder();
    for (ResponseOutputItem item : response.output()) {
      item.message().ifPresent(m -> m.content().forEach(c -> c.outputText().ifPresent(t -> text.append(t.text()))));
    }
    return text.toString();
  }

  record Streamed(List<ResponseStreamEvent> events, com.openai.core.http.Headers headers) {
    String deltas() {
      StringBuilder text = new StringBuilder();
      events.forEach(e -> e.outputTextDelta().ifPresent(d -> text.append(d.delta())));
      return text.toString();
    }

    Response completed() {
      return events.get(events.size() - 1).completed().orElseThrow().response();
    }
  }

  Streamed stream(ResponseCreateParams params) {
    HttpResponseFor<StreamResponse<ResponseStreamEvent>> raw =
        env.openAiClient.responses().withRawResponse().createStreaming(params);
    List<ResponseStreamEvent> events = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> s = raw.parse()) {
      s.stream().forEach(events::add);
    }
    return new Streamed(events, raw.headers());
  }

  @Test
  void aTranslatedResponseIsCachedAndEachHitIsANewStoredResponse() {
    env.openai.always(Reply.json(200, chatCompletion("smart-model", "Paris.")));

    HttpResponseFor<Response> first = create(ask("smart", "Capital of France?"));
    HttpResponseFor<Response> second = create(ask("smart", "Capital of France?"));

    assertThat(first.headers().values("x-baton-cache")).containsExactly("miss");
    assertThat(second.headers().values("x-baton-cache")).containsExactly("hit");
    assertThat(second.headers().values("x-baton-attempts")).containsExactly("0");
    Response hit = second.parse();
    assertThat(text(hit)).isEqualTo("Paris.");
    assertThat(hit.id()).startsWith("resp_").isNotEqualTo(first.parse().id());
    assertThat(text(env.openAiClient.responses().retrieve(hit.id()))).as("the hit was stored").isEqualTo("Paris.");
    assertThat(env.openai.requests()).hasSize(1);
  }

  @Test
  void aNativeResponseComesBackAsItCameUnderANewId() {
    env.nativeApi.always(Reply.json(200, ResponsesFixtures.textResponse("Natively answered.")));

    Response first = create(ask("native", "Hi")).parse();
    HttpResponseFor<Response> second = create(ask("native", "Hi"));

    assertThat(second.headers().values("x-baton-cache")).containsExactly("hit");
    Response hit = second.parse();
    assertThat(text(hit)).isEqualTo("Natively answered.");
    assertThat(first.id()).isEqualTo(ResponsesFixtures.RESPONSE_ID);
    assertThat(hit.id()).isNotEqualTo(first.id());
    assertThat(hit.usage().orElseThrow().totalTokens()).isEqualTo(29);
    assertThat(text(env.openAiClient.responses().retrieve(first.id()))).as("the first is still the first caller's")
        .isEqualTo("Natively answered.");
    assertThat(text(env.openAiClient.responses().retrieve(hit.id()))).isEqualTo("Natively answered.");
    assertThat(env.nativeApi.requests()).hasSize(1);
  }

  @Test
  void aCachedResponseIsPlayedAsResponsesEventsToAStreamingCaller() {
    env.openai.always(Reply.json(200, chatCompletion("smart-model", "Hello, world")));
    create(ask("smart", "Greet me"));

    Streamed replay = stream(ask("smart", "Greet me"));

    assertThat(replay.headers().values("x-baton-cache")).containsExactly("hit");
    assertThat(replay.events().get(0).isCreated()).isTrue();
    assertThat(replay.deltas()).isEqualTo("Hello, world");
    assertThat(text(replay.completed())).isEqualTo("Hello, world");
    assertThat(text(env.openAiClient.responses().retrieve(replay.completed().id()))).isEqualTo("Hello, world");
    assertThat(env.openai.requests()).hasSize(1);
  }

  @Test
  void aStreamedResponseServesAPlainRequestOnceItCompleted() {
    env.nativeApi.enqueue(Reply.sse(ResponsesFixtures.textStream("Once", " upon", " a time")));

    Streamed miss = stream(ask("native", "A story"));
    HttpResponseFor<Response> plain = create(ask("native", "A story"));

    assertThat(miss.headers().values("x-baton-cache")).containsExactly("miss");
    assertThat(miss.deltas()).isEqualTo("Once upon a time");
    assertThat(plain.headers().values("x-baton-cache")).containsExactly("hit");
    assertThat(text(plain.parse())).isEqualTo("Once upon a time");
    assertThat(env.nativeApi.requests()).hasSize(1);
  }

  @Test
  void aBrokenStreamIsNeverStored() {
    env.nativeApi.enqueue(Reply.sse(ResponsesFixtures.brokenTextStream("Once", " upon")));
    env.nativeApi.always(Reply.json(200, ResponsesFixtures.textResponse("A whole story.")));

    List<ResponseStreamEvent> broken = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> s = env.openAiClient.responses().createStreaming(ask("native", "A story"))) {
      s.stream().forEach(broken::add);
    } catch (RuntimeException expected) {
      // the SDK may throw on the failure event; either way the answer was not whole
    }
    HttpResponseFor<Response> next = create(ask("native", "A story"));

    assertThat(broken).as("the events before the break").isNotEmpty()
        .noneSatisfy(e -> assertThat(e.isCompleted()).isTrue());
    assertThat(next.headers().values("x-baton-cache")).containsExactly("miss");
    assertThat(text(next.parse())).isEqualTo("A whole story.");
  }

  @Test
  void continuingDifferentConversationsNeverSharesAnEntry() {
    env.openai.enqueue(Reply.json(200, chatCompletion("smart-model", "I am A.")),
        Reply.json(200, chatCompletion("smart-model", "I am B.")),
        Reply.json(200, chatCompletion("smart-model", "A again.")),
        Reply.json(200, chatCompletion("smart-model", "B again.")));
    Response a = create(ask("smart", "You are A")).parse();
    Response b = create(ask("smart", "You are B")).parse();

    Response nextA = create(ResponseCreateParams.builder().model("smart").input("Who are you?")
        .previousResponseId(a.id()).build()).parse();
    HttpResponseFor<Response> nextB = create(ResponseCreateParams.builder().model("smart").input("Who are you?")
        .previousResponseId(b.id()).build());
    HttpResponseFor<Response> nextAAgain = create(ResponseCreateParams.builder().model("smart").input("Who are you?")
        .previousResponseId(a.id()).build());

    assertThat(text(nextA)).isEqualTo("A again.");
    assertThat(nextB.headers().values("x-baton-cache")).containsExactly("miss");
    assertThat(text(nextB.parse())).isEqualTo("B again.");
    assertThat(nextAAgain.headers().values("x-baton-cache")).containsExactly("hit");
    assertThat(text(nextAAgain.parse())).isEqualTo("A again.");
    assertThat(env.openai.requests()).hasSize(4);
  }
}
