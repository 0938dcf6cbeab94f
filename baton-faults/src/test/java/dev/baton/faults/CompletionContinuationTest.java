package dev.baton.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.SseException;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import dev.baton.config.ConfigLoader;
import dev.baton.config.Environment;
import dev.baton.server.Gateway;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's {@code /v1/completions} stream, read by the official OpenAI Java SDK: a text completion
 * cut after {@code t0 .. t19} and continued by the fallback is joined like a chat stream — a restart or
 * an overlap dropped, each word once — and one that cannot be joined ends in an error event.
 */
class CompletionContinuationTest {

  FakeUpstream primary;
  FakeUpstream fallback;
  Gateway gateway;
  OpenAIClient client;

  @BeforeEach
  void start() {
    primary = FakeUpstream.start();
    fallback = FakeUpstream.start();
    primary.always(Reply.sse(events("primary-model", OpenAiFixtures.numberedPieces(0, 60))).cutAfter(20));
    gateway = Gateway.start(ConfigLoader.parse("""
        server: {host: 127.0.0.1, port: 0}
        models:
          - {name: primary, provider: openai-compatible, model: primary-model, api_base: "%s/v1"}
          - {name: fallback, provider: openai-compatible, model: fallback-model, api_base: "%s/v1"}
        router:
          retries: 0
          fallbacks: {primary: [fallback]}
        """.formatted(primary.url(), fallback.url()), "baton.yaml", Environment.of(Map.of())),
        Environment.of(Map.of()), List.of());
    // No response validation: the SDK's Completion model wants a finish_reason, which OpenAI's own
    // streamed completion chunks leave null until the last.
    client = OpenAIOkHttpClient.builder().baseUrl(gateway.url() + "/v1").apiKey("unused").maxRetries(0)
        .timeout(Duration.ofSeconds(20)).build();
  }

  @AfterEach
  void stop() {
    client.close();
    gateway.close();
    primary.close();
    fallback.close();
  }

  /** A streamed text completion of the given pieces, as OpenAI sends one. */
  static List<String> events(String model, String... pieces) {
    List<String> events = new ArrayList<>();
    for (String piece : pieces) {
      events.add("data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"" + model
          + "\",\"choices\":[{\"index\":0,\"text\":" + OpenAiFixtures.quote(piece)
          + ",\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    }
    events.add("data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"" + model
        + "\",\"choices\":[{\"index\":0,\"text\":\"\",\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n");
    events.add(OpenAiFixtures.DONE);
    return events;
  }

  String streamed(StringBuilder text) {
    try (StreamResponse<Completion> s = client.completions().createStreaming(CompletionCreateParams.builder()
        .model(CompletionCreateParams.Model.of("primary")).prompt("Count to sixty:").build())) {
      s.stream().forEach(c -> c.choices().forEach(choice -> text.append(choice.text())));
    }
    return text.toString();
  }

  @Test
  void aCompletionContinuedFromTheBeginningIsReadOnce() {
    fallback.always(Reply.sse(events("fallback-model", OpenAiFixtures.numberedPieces(0, 60))));

    String text = streamed(new StringBuilder());

    assertThat(text).isEqualTo(OpenAiFixtures.numberedText(0, 60));
    assertThat(fallback.lastRequest().bodyText()).contains("Count to sixty:t0 t1 ").contains("t19 ");
  }

  @Test
  void aCompletionContinuedWithAnOverlapIsReadOnce() {
    fallback.always(Reply.sse(events("fallback-model", OpenAiFixtures.numberedPieces(16, 60))));

    assertThat(streamed(new StringBuilder())).isEqualTo(OpenAiFixtures.numberedText(0, 60));
  }

  @Test
  void aCompletionThatRestartsAndGoesElsewhereEndsInAnErrorEvent() {
    fallback.always(Reply.sse(events("fallback-model", "t0 ", "t1 ", "t2 ", "t3 ", "t4 ", "and then something else")));
    StringBuilder text = new StringBuilder();

    Throwable thrown = catchThrowable(() -> streamed(text));

    assertThat(thrown).isInstanceOf(SseException.class).hasMessageContaining("cannot be joined");
    assertThat(text.toString()).isEqualTo(OpenAiFixtures.numberedText(0, 20));
  }
}
