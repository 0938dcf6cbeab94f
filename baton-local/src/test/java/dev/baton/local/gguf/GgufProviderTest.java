package dev.baton.local.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.ChatChunk;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.CompletionRequest;
import dev.baton.CompletionResponse;
import dev.baton.ContentPart;
import dev.baton.ContextWindowExceededException;
import dev.baton.FinishReason;
import dev.baton.Message;
import dev.baton.ResponseFormat;
import dev.baton.Role;
import dev.baton.Tool;
import dev.baton.UnsupportedRequestException;
import dev.baton.UpstreamTimeoutException;
import dev.baton.local.Calls;
import dev.baton.provider.ChunkSource;
import dev.baton.testkit.TinyGguf;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real inference through llama.cpp on a tiny model written by {@link TinyGguf}: its text is gibberish, but
 * every token is one character of {@link TinyGguf#ALPHABET} and it never ends by itself, so limits, stops,
 * usage and template can be asserted exactly.
 */
class GgufProviderTest {

  static GgufProvider model;

  @BeforeAll
  static void load() {
    model = TinyModels.deploy(TinyModels.CHATML);
  }

  @AfterAll
  static void unload() {
    model.close();
  }

  static ChatRequest.Builder greedy(String user, int maxTokens) {
    return ChatRequest.builder().user(user).maxTokens(maxTokens).temperature(0.0);
  }

  static String text(ChatResponse r) {
    return r.choices().get(0).message().text();
  }

  @Test
  void streamsOneChunkPerTokenThenTheFinishAndTheUsage() {
    List<ChatChunk> chunks = new ArrayList<>();
    try (ChunkSource stream = model.streamChat(greedy("Hello", 12).build(), Calls.call())) {
      for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
        chunks.add(c);
      }
    }

    assertThat(chunks).hasSize(1 + 12 + 2);
    assertThat(chunks.get(0).role()).isEqualTo(Role.ASSISTANT);
    for (ChatChunk token : chunks.subList(1, 13)) {
      assertThat(token.text()).hasSize(1).containsAnyOf(TinyGguf.ALPHABET.split(""));
    }
    assertThat(chunks.get(13).finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(chunks.get(14).isUsageOnly()).isTrue();
    assertThat(chunks.get(14).usage().promptTokens()).isEqualTo(TinyGguf.promptTokens(TinyModels.chatml("Hello")));
    assertThat(chunks.get(14).usage().completionTokens()).isEqualTo(12);
    assertThat(chunks.get(1).id()).isEqualTo(chunks.get(14).id()).startsWith("chatcmpl-");
    assertThat(chunks.get(1).upstreamModel()).isEqualTo("tiny");
  }

  @Test
  void maxTokensBoundsAWholeAnswer() {
    ChatResponse r = model.chat(greedy("Hello", 7).build(), Calls.call());

    assertThat(text(r)).hasSize(7).matches("[a-z ]{7}");
    assertThat(r.choices().get(0).finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(r.usage().completionTokens()).isEqualTo(7);
    assertThat(r.usage().promptTokens()).isEqualTo(TinyGguf.promptTokens(TinyModels.chatml("Hello")));
  }

  @Test
  void aStopSequenceEndsTheAnswerBeforeIt() {
    String free = text(model.chat(greedy("Tell me more", 40).build(), Calls.call()));
    String stop = free.substring(12, 15);
    String before = free.substring(0, free.indexOf(stop));

    ChatResponse r = model.chat(greedy("Tell me more", 40).stop(List.of(stop, "never appears")).build(), Calls.call());

    assertThat(text(r)).isEqualTo(before);
    assertThat(r.choices().get(0).finishReason()).isEqualTo(FinishReason.STOP);
    // The stop sequence's own tokens were generated before it was recognised, and count.
    assertThat(r.usage().completionTokens()).isEqualTo(before.length() + stop.length());
  }

  @Test
  void greedyAnswersRepeatAndSeededSamplingRepeatsItsSeed() {
    String once = text(model.chat(greedy("Same again", 30).build(), Calls.call()));
    String twice = text(model.chat(greedy("Same again", 30).build(), Calls.call()));
    ChatRequest.Builder sampled = ChatRequest.builder().user("Same again").maxTokens(30).temperature(1.0);
    String seeded = text(model.chat(sampled.seed(42L).build(), Calls.call()));
    String seededAgain = text(model.chat(sampled.seed(42L).build(), Calls.call()));
    String otherSeed = text(model.chat(sampled.seed(7L).build(), Calls.call()));

    assertThat(twice).isEqualTo(once);
    assertThat(seededAgain).isEqualTo(seeded);
    assertThat(otherSeed).isNotEqualTo(seeded);
    assertThat(seeded).isNotEqualTo(once);
  }

  @Test
  void theChatTemplateComesFromTheModelFile() {
    try (GgufProvider gemma = TinyModels.deploy(TinyModels.GEMMA)) {
      ChatResponse r = gemma.chat(greedy("Hello", 1).build(), Calls.call());

      assertThat(r.usage().promptTokens())
          .isEqualTo(TinyGguf.promptTokens("<start_of_turn>user\nHello<end_of_turn>\n<start_of_turn>model\n"))
          .isNotEqualTo(TinyGguf.promptTokens(TinyModels.chatml("Hello")));
    }
  }

  @Test
  void completionsTakeThePromptAsItIsOneChoiceEach() {
    CompletionRequest request = CompletionRequest.builder().prompts(List.of("Once upon a time", "abc"))
        .maxTokens(5).temperature(0.0).build();

    CompletionResponse r = model.complete(request, Calls.call());

    assertThat(r.choices()).hasSize(2);
    assertThat(r.choices().get(0).text()).hasSize(5);
    assertThat(r.choices().get(1).finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(r.usage().promptTokens()).isEqualTo(TinyGguf.promptTokens("Once upon a time") + TinyGguf.promptTokens("abc"));
    assertThat(r.usage().completionTokens()).isEqualTo(10);
  }

  @Test
  void aPromptLongerThanTheContextIsAContextWindowError() {
    try (GgufProvider small = TinyModels.deploy(TinyModels.CHATML, "context_size", "64")) {
      String user = "x".repeat(100);

      assertThatThrownBy(() -> small.chat(greedy(user, 5).build(), Calls.call()))
          .isInstanceOf(ContextWindowExceededException.class)
          .hasMessage("This model's maximum context length is 64 tokens. However, your messages resulted in "
              + TinyGguf.promptTokens(TinyModels.chatml(user)) + " tokens.");
    }
  }

  @Test
  void anAnswerWithoutALimitEndsWhenTheContextIsFull() {
    try (GgufProvider small = TinyModels.deploy(TinyModels.CHATML, "context_size", "64")) {
      ChatResponse r = small.chat(ChatRequest.builder().user("Hi").temperature(0.0).build(), Calls.call());

      int prompt = TinyGguf.promptTokens(TinyModels.chatml("Hi"));
      assertThat(r.usage().promptTokens()).isEqualTo(prompt);
      // llama.cpp needs one place left in the context to compute the next token's odds.
      assertThat(r.usage().completionTokens()).isEqualTo(64 - prompt - 1);
      assertThat(text(r)).hasSize(64 - prompt - 1);
      assertThat(r.choices().get(0).finishReason()).isEqualTo(FinishReason.LENGTH);
    }
  }

  @Test
  void atMostMaxConcurrencyAnswersAreGeneratedAtOnce() throws Exception {
    try (GgufProvider two = TinyModels.deploy(TinyModels.CHATML, "max_concurrency", "2")) {
      ExecutorService callers = Executors.newFixedThreadPool(6);
      try {
        List<Future<ChatResponse>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          String user = "caller " + i;
          answers.add(callers.submit(() -> two.chat(greedy(user, 200).build(), Calls.call())));
        }
        for (Future<ChatResponse> a : answers) {
          assertThat(text(a.get())).hasSize(200);
        }
      } finally {
        callers.shutdown();
      }

      assertThat(two.pool().peak()).isEqualTo(2);
      // The last answer is read before its thread has quite returned to the pool.
      long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (two.pool().running() > 0 && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertThat(two.pool().running()).isZero();
    }
  }

  @Test
  void aCallerWhoseDeadlinePassesWhileQueuedTimesOut() {
    try (GgufProvider one = TinyModels.deploy(TinyModels.CHATML, "context_size", "16384");
        ChunkSource long_ = one.streamChat(ChatRequest.builder().user("Go on").build(), Calls.call())) {
      assertThat(long_.next().role()).isEqualTo(Role.ASSISTANT);
      assertThat(long_.next().text()).hasSize(1);

      assertThatThrownBy(() -> one.chat(greedy("Me too", 5).build(), Calls.within(Duration.ofMillis(300))))
          .isInstanceOf(UpstreamTimeoutException.class)
          .hasMessageContaining("no complete answer within");
    }
  }

  @Test
  void closingAStreamStopsItsGenerationAndFreesItsTurn() {
    try (GgufProvider one = TinyModels.deploy(TinyModels.CHATML, "context_size", "16384")) {
      // Unstopped, this answer would fill 16k tokens of context: many seconds on any machine.
      try (ChunkSource stream = one.streamChat(ChatRequest.builder().user("Go on").build(), Calls.call())) {
        for (int i = 0; i < 4; i++) {
          stream.next();
        }
      }

      ChatResponse next = one.chat(greedy("My turn", 5).build(), Calls.within(Duration.ofSeconds(5)));

      assertThat(text(next)).hasSize(5);
    }
  }

  @Test
  void aJsonAnswerIsHeldToJsonByAGrammar() {
    ChatRequest json = greedy("Answer in JSON", 20).responseFormat(ResponseFormat.jsonObject()).build();

    String text = text(model.chat(json, Calls.call()));

    // Left to itself the model writes only letters and spaces; the grammar makes it open an object.
    assertThat(text).startsWith("{");
  }

  @Test
  void aSchemaLlamaCppCannotTurnIntoAGrammarIsUnsupportedSoAnotherModelMayTakeIt() {
    ChatRequest json = greedy("Answer in JSON", 20)
        .responseFormat(ResponseFormat.jsonSchema("x", "{\"$ref\": \"#/definitions/missing\"}", true))
        .build();

    assertThatThrownBy(() -> model.chat(json, Calls.call()))
        .isInstanceOf(UnsupportedRequestException.class)
        .hasMessageContaining("json_schema");
  }

  @Test
  void toolsImagesAndToolResultsAreUnsupportedSoTheRouterFallsBack() {
    ChatRequest tools = greedy("What's the weather?", 5)
        .tools(List.of(Tool.function("weather", "Gets the weather", "{\"type\":\"object\"}"))).build();
    ChatRequest image = ChatRequest.builder().message(Message.user(List.of(new ContentPart.Text("What is this?"),
        new ContentPart.Image("https://example.com/cat.png", null)))).build();

    assertThatThrownBy(() -> model.chat(tools, Calls.call()))
        .isInstanceOf(UnsupportedRequestException.class).hasMessageContaining("not tools");
    assertThatThrownBy(() -> model.chat(image, Calls.call()))
        .isInstanceOf(UnsupportedRequestException.class).hasMessageContaining("not content other than text");
  }
}
