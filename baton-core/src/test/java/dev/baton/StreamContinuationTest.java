package dev.baton;

import static dev.baton.testkit.OpenAiFixtures.error;
import static dev.baton.testkit.OpenAiFixtures.numberedPieces;
import static dev.baton.testkit.OpenAiFixtures.numberedStream;
import static dev.baton.testkit.OpenAiFixtures.numberedText;
import static dev.baton.testkit.OpenAiFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.Attempt.Outcome;
import dev.baton.config.ModelConfig;
import dev.baton.testkit.AnthropicFixtures;
import dev.baton.testkit.BedrockFixtures;
import dev.baton.testkit.CohereFixtures;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.GeminiFixtures;
import dev.baton.testkit.OllamaFixtures;
import dev.baton.testkit.RecordedRequest;
import dev.baton.testkit.Reply;
import dev.baton.wire.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A stream that breaks after {@code t0 .. t19} and is continued elsewhere: the caller reads each part of
 * the answer exactly once, whichever way the continuation is asked for and however it comes back — or
 * an error, never a repeated or contradicted answer that looks complete.
 */
class StreamContinuationTest {

  static final Map<String, String> ENV = Map.of("AWS_REGION", "us-east-1",
      "AWS_ACCESS_KEY_ID", BedrockFixtures.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", BedrockFixtures.SECRET_KEY);

  FakeUpstream primary;
  FakeUpstream fallback;

  @BeforeEach
  void start() {
    primary = FakeUpstream.start();
    fallback = FakeUpstream.start();
    // The role chunk and t0 .. t19, then the connection drops.
    primary.always(Reply.sse(numberedStream("primary-model", 60)).cutAfter(21));
  }

  @AfterEach
  void stop() {
    primary.close();
    fallback.close();
  }

  static String numbered(int from, int to) {
    return numberedText(from, to);
  }

  static String[] pieces(int from, int to) {
    return numberedPieces(from, to);
  }

  Baton baton(ModelConfig fallbackModel) {
    return Baton.builder()
        .environment(ENV)
        .model(Upstreams.openAi("primary", primary).build())
        .model(fallbackModel)
        .fallbacks("primary", "fallback")
        .retries(0)
        .build();
  }

  Baton baton(ModelConfig.Builder fallbackModel) {
    return baton(fallbackModel.build());
  }

  /** Reads a stream whole; the text received before any failure is kept in {@code received}. */
  static String read(ChatStream s, StringBuilder received) {
    for (ChatChunk c : s) {
      received.append(c.text());
    }
    return received.toString();
  }

  static JsonNode body(RecordedRequest r) {
    try {
      return Json.parse(r.body());
    } catch (IOException e) {
      throw new AssertionError("the request is not JSON", e);
    }
  }

  /** Whether an OpenAI-shaped request ends with an assistant turn (a prefill), and that turn's text. */
  static String trailingAssistant(RecordedRequest r) {
    JsonNode messages = body(r).path("messages");
    JsonNode last = messages.get(messages.size() - 1);
    return "assistant".equals(last.path("role").asText()) ? last.path("content").asText() : null;
  }

  @Test
  void anOpenAiCompatibleDeploymentProvesItContinuesPrefillsAndIsThenGivenThemWhole() {
    // A server that continues a trailing assistant message exactly, from its last word on.
    fallback.respond(r -> {
      String prefill = trailingAssistant(r);
      int next = prefill == null ? 0 : prefill.strip().split("\\s+").length;
      return Reply.sse(stream("fallback-model", pieces(next, 60)));
    });
    try (Baton baton = baton(Upstreams.openAi("fallback", fallback))) {

      String first;
      String second;
      try (ChatStream s = baton.stream("count")) {
        first = s.collect().text();
      }
      try (ChatStream s = baton.stream("count")) {
        second = s.collect().text();
      }

      assertThat(first).isEqualTo(numbered(0, 60));
      assertThat(second).isEqualTo(numbered(0, 60));
      assertThat(trailingAssistant(fallback.requests().get(0)))
          .as("the first prefill holds back the last two words, which the deployment must write again")
          .isEqualTo(numbered(0, 18));
      assertThat(trailingAssistant(fallback.requests().get(1)))
          .as("once proven, the whole answer so far is the prefill").isEqualTo(numbered(0, 20));
    }
  }

  @Test
  void aPrefillRefusedWith400IsAskedAgainAsAContinueTurnRememberedAndNeverTheCallersError() {
    List<BatonEvent> events = new CopyOnWriteArrayList<>();
    fallback.respond(r -> trailingAssistant(r) != null
        ? Reply.json(400, error("This model does not support assistant message prefill. The conversation must"
            + " end with a user message.", "invalid_request_error", null))
        : Reply.sse(stream("fallback-model", pieces(15, 60))));
    try (Baton baton = Baton.builder().environment(ENV)
        .model(Upstreams.openAi("primary", primary).build())
        .model(Upstreams.openAi("fallback", fallback).build())
        .fallbacks("primary", "fallback").retries(0).listener(events::add).build()) {

      List<Attempt> attempts;
      String first;
      try (ChatStream s = baton.stream("count")) {
        first = s.collect().text();
        attempts = s.attempts();
      }
      String second;
      try (ChatStream s = baton.stream("count")) {
        second = s.collect().text();
      }

      assertThat(first).isEqualTo(numbered(0, 60));
      assertThat(second).isEqualTo(numbered(0, 60));
      assertThat(attempts).extracting(Attempt::model, Attempt::outcome).containsExactly(
          org.assertj.core.groups.Tuple.tuple("primary", Outcome.FAILED),
          org.assertj.core.groups.Tuple.tuple("fallback", Outcome.FAILED),
          org.assertj.core.groups.Tuple.tuple("fallback", Outcome.SUCCEEDED));
      assertThat(attempts.get(1).error()).as("Baton's own request was refused: not a bad request of the caller's")
          .isNotInstanceOf(BadRequestException.class).hasMessageContaining("refused the request to continue");
      assertThat(fallback.requests()).extracting(StreamContinuationTest::trailingAssistant)
          .as("one prefill, refused; then continue turns only, the second stream's included")
          .containsExactly(numbered(0, 18), null, null);
      assertThat(events).noneMatch(e -> e instanceof BatonEvent.CircuitChanged c && c.deployment().equals("fallback"));
    }
  }

  @Test
  void aPrefillSetInConfigIsTriedEveryTimeButARefusalStillContinuesAnotherWay() {
    fallback.respond(r -> trailingAssistant(r) != null
        ? Reply.json(400, error("Expected last role User or Tool (or Assistant with prefix True) for serving but"
            + " got assistant", "invalid_request_message_order", null))
        : Reply.sse(stream("fallback-model", pieces(15, 60))));
    try (Baton baton = baton(Upstreams.openAi("fallback", fallback).assistantPrefill(true))) {

      for (int i = 0; i < 2; i++) {
        try (ChatStream s = baton.stream("count")) {
          assertThat(s.collect().text()).isEqualTo(numbered(0, 60));
        }
      }

      assertThat(fallback.requests()).extracting(StreamContinuationTest::trailingAssistant)
          .as("assistant_prefill: true decides for good; each refusal is followed by a continue turn")
          .containsExactly(numbered(0, 20), null, numbered(0, 20), null);
    }
  }

  @Test
  void aContinueTurnAnsweredWithUnrelatedTextEndsInAnErrorAfterExactlyTheTextSoFar() {
    fallback.always(Reply.sse(stream("fallback-model", "The weather in Paris ", "is mild in spring.")));
    try (Baton baton = baton(Upstreams.openAi("fallback", fallback)); ChatStream s = baton.stream("count")) {
      StringBuilder received = new StringBuilder();

      assertThatThrownBy(() -> read(s, received))
          .isInstanceOf(AllModelsFailedException.class)
          .hasMessageContaining("cannot be joined");
      assertThat(received.toString()).as("nothing of the unrelated answer, nothing repeated")
          .isEqualTo(numbered(0, 20));
      assertThat(fallback.requests()).as("tried as a proving prefill, then as a continue turn").hasSize(2);
    }
  }

  @Test
  void aPrefillAnsweredByARestartIsSkippedAndTeachesThatTheDeploymentDoesNotContinuePrefills() {
    fallback.always(Reply.sse(numberedStream("fallback-model", 60)));
    try (Baton baton = baton(Upstreams.openAi("fallback", fallback))) {

      for (int i = 0; i < 2; i++) {
        try (ChatStream s = baton.stream("count")) {
          assertThat(s.collect().text()).isEqualTo(numbered(0, 60));
        }
      }

      assertThat(fallback.requests()).extracting(StreamContinuationTest::trailingAssistant)
          .containsExactly(numbered(0, 18), null);
      assertThat(fallback.lastRequest().bodyText()).contains("Its last words were:\\n\\nt15 t16 t17 t18 t19");
    }
  }

  @Test
  void aTextCompletionContinuedFromTheBeginningIsSkippedToo() {
    primary.always(Reply.sse(completionEvents("primary-model", 0, 60)).cutAfter(20));
    fallback.respond(r -> Reply.sse(completionEvents("fallback-model", 0, 60)));
    try (Baton baton = baton(Upstreams.openAi("fallback", fallback));
        ChatStream s = baton.streamCompletion(CompletionRequest.of("Count to sixty:"))) {

      String text = read(s, new StringBuilder());

      assertThat(text).isEqualTo(numbered(0, 60));
      assertThat(body(fallback.lastRequest()).path("prompt").asText())
          .as("a text completion continues the prompt and the text so far").isEqualTo("Count to sixty:" + numbered(0, 20));
    }
  }

  static List<String> completionEvents(String model, int from, int to) {
    List<String> events = new ArrayList<>();
    for (int i = from; i < to; i++) {
      events.add("data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"" + model
          + "\",\"choices\":[{\"index\":0,\"text\":\"t" + i + " \",\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    }
    events.add("data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"" + model
        + "\",\"choices\":[{\"index\":0,\"text\":\"\",\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n");
    events.add("data: [DONE]\n\n");
    return events;
  }

  /** One provider as the deployment that continues: how to reach it, and its stream of the given pieces. */
  record Continuing(String provider, Function<FakeUpstream, ModelConfig> model, Function<String[], Reply> answer,
      boolean prefill, boolean trusted) {
    Continuing(String provider, Function<FakeUpstream, ModelConfig> model, Function<String[], Reply> answer,
        boolean prefill) {
      this(provider, model, answer, prefill, prefill && !provider.equals("openai-compatible"));
    }

    @Override
    public String toString() {
      return provider;
    }
  }

  static Stream<Continuing> everyProvider() {
    return Stream.of(
        new Continuing("anthropic", up -> ModelConfig.builder("fallback", "anthropic", "claude-sonnet-4-5")
            .apiBase(up.url()).apiKey("sk-ant-test-key-123456").build(),
            p -> Reply.sse(AnthropicFixtures.textStream(p)), true),
        new Continuing("gemini", up -> ModelConfig.builder("fallback", "gemini", "gemini-2.5-flash")
            .apiBase(up.url("/v1beta")).apiKey("gemini-test-key-123456").build(),
            p -> Reply.sse(GeminiFixtures.textStreamOf(p)), false),
        new Continuing("ollama", up -> ModelConfig.builder("fallback", "ollama", "llama3.2")
            .apiBase(up.url()).build(),
            OllamaFixtures::chatStream, true),
        new Continuing("bedrock", up -> ModelConfig.builder("fallback", "bedrock", BedrockFixtures.MODEL)
            .apiBase(up.url()).build(),
            p -> BedrockFixtures.stream(BedrockFixtures.textStream(p)), false),
        new Continuing("cohere", up -> ModelConfig.builder("fallback", "cohere", CohereFixtures.MODEL)
            .apiBase(up.url()).apiKey("cohere-test-key-123456").build(),
            p -> Reply.sse(CohereFixtures.textStream(p)), false),
        new Continuing("openai-compatible", up -> Upstreams.openAi("fallback", up).build(),
            p -> Reply.sse(stream("fallback-model", p)), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyProvider")
  void everyProvidersContinuationThatBeginsTheAnswerAgainIsJoinedWithoutRepeating(Continuing provider) {
    fallback.always(provider.answer().apply(pieces(0, 60)));
    try (Baton baton = baton(provider.model().apply(fallback)); ChatStream s = baton.stream("count")) {

      String text = read(s, new StringBuilder());

      assertThat(text).isEqualTo(numbered(0, 60));
      assertThat(s.model()).isEqualTo("fallback");
      String sent = fallback.lastRequest().bodyText();
      assertThat(sent).as("the answer so far (a proving prefill holds back its last two words)").contains("t17 ");
      if (provider.prefill()) {
        assertThat(sent).as("continued by prefill").doesNotContain("Continue it from exactly where it stopped");
      } else {
        assertThat(sent).as("continued by a continue turn").contains("Continue it from exactly where it stopped");
      }
    }
  }

  /**
   * Every provider but those trusted to continue a prefill (Anthropic, Ollama): their new text is the
   * model's own continuation of the caller's text, as it would have been without the break.
   */
  static Stream<Continuing> everyProviderNotTrustedWithAPrefill() {
    return everyProvider().filter(p -> !p.trusted());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyProviderNotTrustedWithAPrefill")
  void everyProvidersContinuationThatSaysSomethingElseEndsInAnError(Continuing provider) {
    fallback.always(provider.answer().apply(new String[] {"I'm sorry, ", "I can't help with that."}));
    try (Baton baton = baton(provider.model().apply(fallback)); ChatStream s = baton.stream("count")) {
      StringBuilder received = new StringBuilder();

      assertThatThrownBy(() -> read(s, received)).isInstanceOf(AllModelsFailedException.class)
          .hasMessageContaining("cannot be joined");
      assertThat(received.toString()).isEqualTo(numbered(0, 20));
    }
  }

  @Test
  void anthropicContinuesItsPrefillExactly() {
    fallback.always(Reply.sse(AnthropicFixtures.textStream(" t20", " t21", " and so on.")));
    try (Baton baton = baton(everyProvider().filter(p -> p.provider().equals("anthropic")).findFirst().orElseThrow()
        .model().apply(fallback)); ChatStream s = baton.stream("count")) {

      assertThat(read(s, new StringBuilder())).isEqualTo(numbered(0, 20) + "t20 t21 and so on.");
    }
  }

  @Test
  void aContinuationThatOverlapsTheEndIsJoinedWithoutTheOverlap() {
    fallback.always(OllamaFixtures.chatStream(pieces(17, 60)));
    try (Baton baton = baton(ModelConfig.builder("fallback", "ollama", "llama3.2").apiBase(fallback.url()).build());
        ChatStream s = baton.stream("count")) {

      assertThat(read(s, new StringBuilder())).isEqualTo(numbered(0, 60));
    }
  }

  @Test
  void aContinuationThatRestartsSlowlyHoldsNothingNewBack() {
    fallback.always(Reply.sse(stream("fallback-model", pieces(0, 60))).chunkEvery(Duration.ofMillis(5)));
    try (Baton baton = baton(Upstreams.openAi("fallback", fallback).assistantPrefill(false));
        ChatStream s = baton.stream("count")) {
      List<String> chunks = new ArrayList<>();

      s.forEach(c -> chunks.add(c.text()));

      assertThat(String.join("", chunks)).isEqualTo(numbered(0, 60));
      assertThat(chunks).as("after t19, each new word arrives as its own chunk: nothing new was held back")
          .containsSubsequence("t19 ", "t20 ", "t21 ", "t22 ");
    }
  }
}
