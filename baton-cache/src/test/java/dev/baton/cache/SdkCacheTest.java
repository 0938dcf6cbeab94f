package dev.baton.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.Baton;
import dev.baton.BatonException;
import dev.baton.ChatChunk;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.ChatStream;
import dev.baton.CompletionRequest;
import dev.baton.CompletionResponse;
import dev.baton.EmbeddingRequest;
import dev.baton.EmbeddingResponse;
import dev.baton.FinishReason;
import dev.baton.config.CacheConfig;
import dev.baton.config.ModelConfig;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.ManualClock;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The response cache in the SDK, {@code Baton.builder().cache(...)}, with the local store this module brings,
 * over fake upstreams that count their calls.
 */
class SdkCacheTest {

  private final FakeUpstream smart = FakeUpstream.start();
  private final FakeUpstream fast = FakeUpstream.start();
  private final ManualClock clock = ManualClock.atNewYear();
  private final List<Baton> batons = new ArrayList<>();

  @AfterEach
  void close() {
    batons.forEach(Baton::close);
    smart.close();
    fast.close();
  }

  private static ModelConfig deployment(String name, FakeUpstream upstream) {
    return ModelConfig.builder(name, "openai-compatible", name + "-model")
        .apiBase(upstream.url("/v1"))
        .apiKey("sk-test-" + name + "-key-0123456789")
        .timeout(Duration.ofSeconds(5))
        .idleTimeout(Duration.ofSeconds(2))
        .build();
  }

  private Baton baton(CacheConfig cache) {
    Baton baton = Baton.builder()
        .model(deployment("smart", smart))
        .model(deployment("fast", fast))
        .fallbacks("smart", "fast")
        .retries(0)
        .cache(cache)
        .cacheClock(clock)
        .build();
    batons.add(baton);
    return baton;
  }

  private Baton baton() {
    return baton(CacheConfig.builder().build());
  }

  private static ChatRequest ask(String text) {
    return ChatRequest.builder().model("smart").user(text).temperature(0.0).build();
  }

  private void answers(FakeUpstream upstream, String text) {
    upstream.always(Reply.json(200, OpenAiFixtures.chatCompletion(upstream == smart ? "smart-model" : "fast-model",
        text)));
  }

  private static String streamed(ChatStream stream) {
    StringBuilder text = new StringBuilder();
    try (stream) {
      for (ChatChunk chunk : stream) {
        text.append(chunk.text());
      }
    }
    return text.toString();
  }

  @Test
  void aRepeatedRequestIsAnsweredFromTheCacheWithoutCallingTheModel() {
    answers(smart, "Paris.");
    Baton baton = baton();

    ChatResponse first = baton.chat(ask("Capital of France?"));
    ChatResponse second = baton.chat(ask("Capital of France?"));

    assertThat(smart.requests()).as("upstream calls").hasSize(1);
    assertThat(first.cache()).isEqualTo(CacheStatus.MISS);
    assertThat(second.cache()).isEqualTo(CacheStatus.HIT);
    assertThat(second.text()).isEqualTo("Paris.");
    assertThat(second.model()).isEqualTo("smart");
    assertThat(second.attempts()).as("a hit makes no attempt").isEmpty();
    assertThat(second.usage()).isEqualTo(first.usage());
  }

  @Test
  void anotherQuestionIsAMiss() {
    answers(smart, "An answer.");
    Baton baton = baton();

    baton.chat(ask("One?"));
    ChatResponse other = baton.chat(ask("Two?"));

    assertThat(other.cache()).isEqualTo(CacheStatus.MISS);
    assertThat(smart.requests()).hasSize(2);
  }

  @Test
  void aStreamedAnswerServesAPlainRequest() {
    smart.enqueue(Reply.sse(OpenAiFixtures.stream("smart-model", "Hello", ", ", "world")));
    Baton baton = baton();

    String streamedText = streamed(baton.stream(ask("Greet me")));
    ChatResponse plain = baton.chat(ask("Greet me"));

    assertThat(streamedText).isEqualTo("Hello, world");
    assertThat(plain.cache()).isEqualTo(CacheStatus.HIT);
    assertThat(plain.text()).isEqualTo("Hello, world");
    assertThat(plain.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(plain.usage().completionTokens()).as("the stream's reported usage").isEqualTo(3);
    assertThat(smart.requests()).hasSize(1);
  }

  @Test
  void aPlainAnswerServesAStreamedRequest() {
    answers(smart, "Hello, world");
    Baton baton = baton();

    baton.chat(ask("Greet me"));
    ChatStream stream = baton.stream(ChatRequest.builder().model("smart").user("Greet me").temperature(0.0)
        .includeUsage(true).build());
    List<ChatChunk> chunks = new ArrayList<>();
    stream.forEach(chunks::add);

    assertThat(stream.cache()).isEqualTo(CacheStatus.HIT);
    assertThat(stream.attempts()).isEmpty();
    assertThat(chunks.stream().map(ChatChunk::text).reduce("", String::concat)).isEqualTo("Hello, world");
    assertThat(chunks).anySatisfy(c -> assertThat(c.finishReason()).isEqualTo(FinishReason.STOP));
    assertThat(chunks.get(chunks.size() - 1).usage()).as("the usage chunk asked for").isNotNull();
    assertThat(smart.requests()).hasSize(1);
  }

  @Test
  void toolCallsComeBackWholeFromTheCache() {
    smart.always(Reply.json(200, OpenAiFixtures.toolCallCompletion("smart-model", "call_1", "weather",
        "{\"city\":\"Paris\"}")));
    Baton baton = baton();

    baton.chat(ask("Weather in Paris?"));
    ChatResponse hit = baton.chat(ask("Weather in Paris?"));
    ChatStream replay = baton.stream(ask("Weather in Paris?"));
    ChatResponse collected = replay.collect();

    assertThat(hit.toolCalls()).singleElement().satisfies(call -> {
      assertThat(call.id()).isEqualTo("call_1");
      assertThat(call.name()).isEqualTo("weather");
      assertThat(call.arguments()).isEqualTo("{\"city\":\"Paris\"}");
    });
    assertThat(collected.toolCalls()).isEqualTo(hit.toolCalls());
    assertThat(smart.requests()).hasSize(1);
  }

  @Test
  void anEntryIsServedForItsTimeToLiveAndNotAfter() {
    answers(smart, "Paris.");
    Baton baton = baton(CacheConfig.builder().ttl(Duration.ofMinutes(10)).build());
    baton.chat(ask("Capital?"));

    clock.advance(Duration.ofMinutes(10).minusSeconds(1));
    assertThat(baton.chat(ask("Capital?")).cache()).as("a second before it expires").isEqualTo(CacheStatus.HIT);
    clock.advance(Duration.ofSeconds(1));
    assertThat(baton.chat(ask("Capital?")).cache()).as("when it expires").isEqualTo(CacheStatus.MISS);

    assertThat(smart.requests()).hasSize(2);
  }

  @Test
  void maxAgeAcceptsOnlyAnEntryYoungerThanItSays() {
    answers(smart, "Paris.");
    Baton baton = baton();
    baton.chat(ask("Capital?"));
    clock.advance(Duration.ofSeconds(90));

    ChatResponse tooOld = baton.chat(ask("Capital?"), CacheContext.of(CacheControl.parse("max-age=60")));
    ChatResponse fresh = baton.chat(ask("Capital?"), CacheContext.of(CacheControl.parse("max-age=60")));
    ChatResponse any = baton.chat(ask("Capital?"));

    assertThat(tooOld.cache()).as("90 s old, max-age=60").isEqualTo(CacheStatus.MISS);
    assertThat(fresh.cache()).as("the answer the miss stored").isEqualTo(CacheStatus.HIT);
    assertThat(any.cache()).isEqualTo(CacheStatus.HIT);
    assertThat(smart.requests()).hasSize(2);
  }

  @Test
  void noCacheSkipsTheLookupButStoresTheFreshAnswer() {
    smart.enqueue(Reply.json(200, OpenAiFixtures.chatCompletion("smart-model", "old")),
        Reply.json(200, OpenAiFixtures.chatCompletion("smart-model", "new")));
    Baton baton = baton();
    baton.chat(ask("News?"));

    ChatResponse refreshed = baton.chat(ask("News?"), CacheContext.of(CacheControl.parse("no-cache")));
    ChatResponse next = baton.chat(ask("News?"));

    assertThat(refreshed.cache()).isEqualTo(CacheStatus.MISS);
    assertThat(refreshed.text()).isEqualTo("new");
    assertThat(next.cache()).isEqualTo(CacheStatus.HIT);
    assertThat(next.text()).as("the fresh answer replaced the old").isEqualTo("new");
  }

  @Test
  void noStoreNeitherLooksUpNorStores() {
    smart.enqueue(Reply.json(200, OpenAiFixtures.chatCompletion("smart-model", "first")),
        Reply.json(200, OpenAiFixtures.chatCompletion("smart-model", "private")),
        Reply.json(200, OpenAiFixtures.chatCompletion("smart-model", "third")));
    answers(smart, "fourth");
    Baton baton = baton();
    baton.chat(ask("Q?"));
    List<CacheStatus> told = new ArrayList<>();

    ChatResponse secret = baton.chat(ask("Q?"), new CacheContext("", CacheControl.parse("no-store"), told::add));
    ChatResponse again = baton.chat(ask("Q?"));
    ChatResponse unseen = baton.chat(ask("Other?"), CacheContext.of(CacheControl.parse("no-store")));
    ChatResponse afterNoStore = baton.chat(ask("Other?"));

    assertThat(secret.cache()).isEqualTo(CacheStatus.BYPASS);
    assertThat(told).containsExactly(CacheStatus.BYPASS);
    assertThat(secret.text()).isEqualTo("private");
    assertThat(again.text()).as("no-store did not replace the entry").isEqualTo("first");
    assertThat(unseen.cache()).isEqualTo(CacheStatus.BYPASS);
    assertThat(afterNoStore.cache()).as("no-store kept nothing").isEqualTo(CacheStatus.MISS);
  }

  @Test
  void aModelTheCacheDoesNotCoverIsBypassed() {
    answers(fast, "fast answer");
    Baton baton = baton(CacheConfig.builder().models("smart").build());

    ChatRequest toFast = ChatRequest.builder().model("fast").user("Hi").build();
    baton.chat(toFast);
    ChatResponse second = baton.chat(toFast);

    assertThat(second.cache()).isEqualTo(CacheStatus.BYPASS);
    assertThat(fast.requests()).hasSize(2);
  }

  @Test
  void aFallbacksAnswerIsStoredUnderTheModelAskedFor() {
    smart.always(Reply.json(503, OpenAiFixtures.error("overloaded", "server_error", null)));
    answers(fast, "from the fallback");
    Baton baton = baton();

    ChatResponse first = baton.chat(ask("Q?"));
    ChatResponse second = baton.chat(ask("Q?"));

    assertThat(first.model()).isEqualTo("fast");
    assertThat(second.cache()).isEqualTo(CacheStatus.HIT);
    assertThat(second.model()).as("the model that answered").isEqualTo("fast");
    assertThat(second.text()).isEqualTo("from the fallback");
    assertThat(smart.requests()).as("the failing model is not asked again").hasSize(1);
    assertThat(fast.requests()).hasSize(1);
  }

  @Test
  void aFailedRequestIsNotStored() {
    smart.always(Reply.json(503, OpenAiFixtures.error("down", "server_error", null)));
    fast.always(Reply.json(503, OpenAiFixtures.error("down", "server_error", null)));
    Baton baton = baton();

    assertThatThrownBy(() -> baton.chat(ask("Q?"))).isInstanceOf(BatonException.class);
    assertThatThrownBy(() -> baton.chat(ask("Q?"))).isInstanceOf(BatonException.class);

    assertThat(smart.requests()).as("each request went upstream").hasSize(2);
  }

  @Test
  void anEmptyAnswerIsNotStored() {
    answers(smart, "");
    Baton baton = baton();

    baton.chat(ask("Q?"));
    ChatResponse again = baton.chat(ask("Q?"));

    assertThat(again.cache()).isEqualTo(CacheStatus.MISS);
  }

  @Test
  void aStreamThatBreaksIsNotStored() {
    smart.enqueue(Reply.sse(OpenAiFixtures.stream("smart-model", "Hello", " there", " friend")).cutAfter(2));
    fast.always(Reply.json(503, OpenAiFixtures.error("down", "server_error", null)));
    answers(smart, "whole");
    Baton baton = baton();

    assertThatThrownBy(() -> streamed(baton.stream(ask("Greet me")))).isInstanceOf(BatonException.class);
    ChatResponse next = baton.chat(ask("Greet me"));

    assertThat(next.cache()).as("the broken stream left nothing").isEqualTo(CacheStatus.MISS);
    assertThat(next.text()).isEqualTo("whole");
  }

  @Test
  void aStreamTheCallerClosesEarlyIsNotStored() {
    smart.enqueue(Reply.sse(OpenAiFixtures.stream("smart-model", "one", " two", " three")));
    answers(smart, "whole");
    Baton baton = baton();

    try (ChatStream stream = baton.stream(ask("Count"))) {
      Iterator<ChatChunk> chunks = stream.iterator();
      chunks.next();
    }
    ChatResponse next = baton.chat(ask("Count"));

    assertThat(next.cache()).isEqualTo(CacheStatus.MISS);
    assertThat(next.text()).isEqualTo("whole");
  }

  @Test
  void scopesKeepCallersApartUnlessTheCacheIsGlobal() {
    answers(smart, "answer");
    Baton team = baton(CacheConfig.builder().scope(CacheConfig.Scope.TEAM).build());

    team.chat(ask("Q?"), CacheContext.DEFAULT.inScope("team:a"));
    ChatResponse sameTeam = team.chat(ask("Q?"), CacheContext.DEFAULT.inScope("team:a"));
    ChatResponse otherTeam = team.chat(ask("Q?"), CacheContext.DEFAULT.inScope("team:b"));

    assertThat(sameTeam.cache()).isEqualTo(CacheStatus.HIT);
    assertThat(otherTeam.cache()).isEqualTo(CacheStatus.MISS);

    Baton global = baton(CacheConfig.builder().scope(CacheConfig.Scope.GLOBAL).build());
    global.chat(ask("G?"), CacheContext.DEFAULT.inScope("team:a"));
    assertThat(global.chat(ask("G?"), CacheContext.DEFAULT.inScope("team:b")).cache()).isEqualTo(CacheStatus.HIT);
  }

  @Test
  void completionsAreCachedPlainAndStreamed() {
    smart.always(Reply.json(200, "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1700000000,"
        + "\"model\":\"smart-model\",\"choices\":[{\"text\":\" upon a time\",\"index\":0,\"logprobs\":null,"
        + "\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":4,\"total_tokens\":8}}"));
    Baton baton = baton();
    CompletionRequest request = CompletionRequest.builder().model("smart").prompt("Once").maxTokens(4).build();

    baton.complete(request);
    CompletionResponse hit = baton.complete(request);
    String replayed = streamed(baton.streamCompletion(request));

    assertThat(hit.cache()).isEqualTo(CacheStatus.HIT);
    assertThat(hit.text()).isEqualTo(" upon a time");
    assertThat(hit.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(replayed).isEqualTo(" upon a time");
    assertThat(smart.requests()).hasSize(1);
  }

  @Test
  void embeddingsAreCached() {
    smart.always(Reply.json(200, OpenAiFixtures.embeddings("smart-model", new float[] {0.25f, -0.5f, 0.125f})));
    Baton baton = baton();

    baton.embed(EmbeddingRequest.of("smart", List.of("some text")));
    EmbeddingResponse hit = baton.embed(EmbeddingRequest.of("smart", List.of("some text")));

    assertThat(hit.cache()).isEqualTo(CacheStatus.HIT);
    assertThat(hit.vector()).containsExactly(0.25f, -0.5f, 0.125f);
    assertThat(smart.requests()).hasSize(1);
  }

  @Test
  void aSharedStoreServesEveryInstanceThatUsesIt() {
    answers(smart, "shared answer");
    SharedMemoryStore shared = new SharedMemoryStore(clock);
    Baton one = Baton.builder().model(deployment("smart", smart)).cache(CacheConfig.builder().build(), shared)
        .cacheClock(clock).build();
    Baton two = Baton.builder().model(deployment("smart", smart)).cache(CacheConfig.builder().build(), shared)
        .cacheClock(clock).build();
    batons.add(one);
    batons.add(two);

    one.chat(ask("Q?"));
    ChatResponse fromTwo = two.chat(ask("Q?"));

    assertThat(fromTwo.cache()).isEqualTo(CacheStatus.HIT);
    assertThat(fromTwo.text()).isEqualTo("shared answer");
    assertThat(smart.requests()).hasSize(1);
  }

  @Test
  void aStoreThatIsDownIsAMissNotAFailure() {
    answers(smart, "answer");
    SharedMemoryStore shared = new SharedMemoryStore(clock);
    Baton baton = Baton.builder().model(deployment("smart", smart)).cache(CacheConfig.builder().build(), shared)
        .cacheClock(clock).build();
    batons.add(baton);

    shared.down(true);
    ChatResponse first = baton.chat(ask("Q?"));
    ChatResponse second = baton.chat(ask("Q?"));
    shared.down(false);
    baton.chat(ask("Q?"));
    ChatResponse back = baton.chat(ask("Q?"));

    assertThat(first.text()).isEqualTo("answer");
    assertThat(second.cache()).isEqualTo(CacheStatus.MISS);
    assertThat(back.cache()).as("once it is back").isEqualTo(CacheStatus.HIT);
    assertThat(smart.requests()).hasSize(3);
  }

  @Test
  void aStoreThatThrowsIsAMissNotAFailure() {
    answers(smart, "answer");
    CacheStore broken = new CacheStore() {
      @Override
      public CacheEntry get(String key) {
        throw new IllegalStateException("connection reset");
      }

      @Override
      public void put(String key, CacheEntry entry) {
        throw new IllegalStateException("connection reset");
      }
    };
    Baton baton = Baton.builder().model(deployment("smart", smart)).cache(CacheConfig.builder().build(), broken)
        .build();
    batons.add(baton);

    assertThat(baton.chat(ask("Q?")).text()).isEqualTo("answer");
    assertThat(baton.chat(ask("Q?")).cache()).isEqualTo(CacheStatus.MISS);
  }

  /** An embedding model that places questions about France's capital together and bread far away. */
  private static Reply embedding(dev.baton.testkit.RecordedRequest request) {
    String input = request.bodyText().toLowerCase(java.util.Locale.ROOT);
    float[] vector = input.contains("bread") ? new float[] {0f, 0.1f, 1f}
        : input.contains("capital") && input.contains("france") ? new float[] {1f, input.length() % 7 / 100f, 0f}
        : new float[] {0.3f, 1f, 0.3f};
    return Reply.json(200, OpenAiFixtures.embeddings("emb-model", vector));
  }

  @Test
  void aQuestionThatMeansTheSameIsASemanticHit() {
    try (FakeUpstream emb = FakeUpstream.start()) {
      emb.respond(SdkCacheTest::embedding);
      answers(smart, "Paris.");
      Baton baton = Baton.builder()
          .model(deployment("smart", smart))
          .model(deployment("emb", emb))
          .cache(CacheConfig.builder().semantic("emb", 0.9).build())
          .cacheClock(clock)
          .build();
      batons.add(baton);

      ChatResponse first = baton.chat(ask("What is the capital of France?"));
      ChatResponse similar = baton.chat(ask("Which city is the capital of France, please?"));
      ChatResponse unrelated = baton.chat(ask("How do I bake bread?"));
      ChatResponse otherSystem = baton.chat(ChatRequest.builder().model("smart").system("Answer in French.")
          .user("Which city is the capital of France, please?").temperature(0.0).build());

      assertThat(first.cache()).isEqualTo(CacheStatus.MISS);
      assertThat(similar.cache()).isEqualTo(CacheStatus.SEMANTIC_HIT);
      assertThat(similar.text()).isEqualTo("Paris.");
      assertThat(similar.attempts()).isEmpty();
      assertThat(unrelated.cache()).isEqualTo(CacheStatus.MISS);
      assertThat(otherSystem.cache()).as("everything but the last user message must match").isEqualTo(CacheStatus.MISS);
      assertThat(smart.requests()).hasSize(3);
    }
  }

  @Test
  void theEmbeddingModelMayBeAProviderStringOfItsOwn() {
    try (FakeUpstream emb = FakeUpstream.start()) {
      emb.respond(SdkCacheTest::embedding);
      answers(smart, "Paris.");
      Baton baton = Baton.builder()
          .model(deployment("smart", smart))
          .environment(java.util.Map.of("OPENAI_BASE_URL", emb.url("/v1"), "OPENAI_API_KEY", "sk-emb-test-0123456789"))
          .cache(CacheConfig.builder().semantic("openai/text-embedding-3-small", 0.9).build())
          .build();
      batons.add(baton);

      baton.chat(ask("What is the capital of France?"));
      ChatResponse similar = baton.chat(ask("Tell me the capital of France"));

      assertThat(similar.cache()).isEqualTo(CacheStatus.SEMANTIC_HIT);
      assertThat(emb.requests()).hasSize(2);
      assertThat(emb.lastRequest().bodyText()).contains("text-embedding-3-small");
    }
  }

  @Test
  void anEmbeddingModelThatFailsLeavesExactMatching() {
    try (FakeUpstream emb = FakeUpstream.start()) {
      emb.always(Reply.json(500, OpenAiFixtures.error("down", "server_error", null)));
      answers(smart, "Paris.");
      Baton baton = Baton.builder()
          .model(deployment("smart", smart))
          .model(deployment("emb", emb))
          .retries(0)
          .cache(CacheConfig.builder().semantic("emb", 0.9).build())
          .build();
      batons.add(baton);

      ChatResponse first = baton.chat(ask("What is the capital of France?"));
      ChatResponse exact = baton.chat(ask("What is the capital of France?"));
      ChatResponse similar = baton.chat(ask("Which city is the capital of France?"));

      assertThat(first.text()).isEqualTo("Paris.");
      assertThat(exact.cache()).isEqualTo(CacheStatus.HIT);
      assertThat(similar.cache()).isEqualTo(CacheStatus.MISS);
    }
  }

  @Test
  void aBatonWithoutACacheSaysSo() {
    answers(smart, "answer");
    Baton plain = Baton.builder().model(deployment("smart", smart)).build();
    batons.add(plain);

    assertThat(plain.chat(ask("Q?")).cache()).isNull();
    assertThat(plain.cacheConfig()).isNull();
  }
}
