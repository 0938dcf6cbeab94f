package dev.baton;

import static dev.baton.testkit.OpenAiFixtures.DONE;
import static dev.baton.testkit.OpenAiFixtures.chunk;
import static dev.baton.testkit.OpenAiFixtures.error;
import static dev.baton.testkit.OpenAiFixtures.finishChunk;
import static dev.baton.testkit.OpenAiFixtures.numberedStream;
import static dev.baton.testkit.OpenAiFixtures.numberedText;
import static dev.baton.testkit.OpenAiFixtures.roleChunk;
import static dev.baton.testkit.OpenAiFixtures.stream;
import static dev.baton.testkit.OpenAiFixtures.usageChunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.Attempt.Outcome;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How a stream ends when its upstream misbehaves: completed from a fallback, or an error — never truncated. */
class StreamFailuresTest {

  FakeUpstream primary;
  FakeUpstream fallback;

  @BeforeEach
  void start() {
    primary = FakeUpstream.start();
    fallback = FakeUpstream.start();
    fallback.always(Reply.sse(stream("fallback-model", "fallback ", "answer")));
  }

  @AfterEach
  void stop() {
    primary.close();
    fallback.close();
  }

  Baton baton(Duration firstToken, Duration idle) {
    return Baton.builder()
        .model(Upstreams.openAi("primary", primary).firstTokenTimeout(firstToken).idleTimeout(idle).build())
        .model(Upstreams.openAi("fallback", fallback).build())
        .fallbacks("primary", "fallback")
        .retries(0)
        .build();
  }

  static String text(ChatStream s) {
    StringBuilder text = new StringBuilder();
    for (ChatChunk c : s) {
      text.append(c.text());
    }
    return text.toString();
  }

  @Test
  void aSlowFirstChunkTripsTheFirstTokenTimeoutAndTheFallbackAnswers() {
    primary.always(Reply.sse(stream("primary-model", "too", "late")).delayFirstChunk(Duration.ofSeconds(5)));
    try (Baton baton = baton(Duration.ofMillis(300), Duration.ofSeconds(2)); ChatStream s = baton.stream("hi")) {
      long start = System.nanoTime();

      String text = text(s);

      assertThat(text).isEqualTo("fallback answer");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      Attempt first = s.attempts().get(0);
      assertThat(first.error()).isInstanceOf(UpstreamTimeoutException.class);
      assertThat(((UpstreamTimeoutException) first.error()).phase()).isEqualTo(UpstreamTimeoutException.Phase.FIRST_TOKEN);
    }
  }

  @Test
  void keepAlivesDoNotCountAsAFirstToken() {
    List<String> events = new ArrayList<>();
    events.add(": keep-alive\n\n");
    events.add(": OPENROUTER PROCESSING\n\n");
    events.addAll(stream("primary-model", "late"));
    primary.always(Reply.sse(events).chunkEvery(Duration.ofMillis(250)));
    try (Baton baton = baton(Duration.ofMillis(400), Duration.ofSeconds(2)); ChatStream s = baton.stream("hi")) {

      assertThat(text(s)).isEqualTo("fallback answer");
    }
  }

  @Test
  void aStreamThatStallsAfterContentIsResumedByTheFallback() {
    primary.always(Reply.sse(numberedStream("primary-model", 60)).stallAfter(21));
    fallback.always(Reply.sse(numberedStream("fallback-model", 60)));
    try (Baton baton = baton(Duration.ofSeconds(2), Duration.ofMillis(300)); ChatStream s = baton.stream("count")) {

      String text = text(s);

      assertThat(text).as("t0..t19 from the primary, the rest of the fallback's restart").isEqualTo(numberedText(0, 60));
      assertThat(s.model()).isEqualTo("fallback");
      assertThat(s.attempts()).extracting(Attempt::outcome).containsExactly(Outcome.FAILED, Outcome.SUCCEEDED);
      assertThat(((UpstreamTimeoutException) s.attempts().get(0).error()).phase())
          .isEqualTo(UpstreamTimeoutException.Phase.IDLE);
      primary.awaitNoOpenConnections(Duration.ofSeconds(2));
    }
  }

  @Test
  void aStreamCutMidwayIsResumedByTheFallback() {
    primary.always(Reply.sse(numberedStream("primary-model", 60)).cutAfter(41));
    fallback.always(Reply.sse(numberedStream("fallback-model", 60)));
    try (Baton baton = baton(Duration.ofSeconds(2), Duration.ofSeconds(2)); ChatStream s = baton.stream("count")) {

      String text = text(s);

      assertThat(text).isEqualTo(numberedText(0, 60));
      assertThat(s.attempts().get(0).error()).isInstanceOf(ConnectionFailedException.class);
    }
  }

  @Test
  void aCompleteStreamWithoutDoneEndsPromptlyWithItsUsage() {
    primary.always(Reply.sse(List.of(roleChunk("m"), chunk("m", "all "), chunk("m", "here"), finishChunk("m", "stop"),
        usageChunk("m", 9, 2))));
    try (Baton baton = baton(Duration.ofSeconds(2), Duration.ofSeconds(5));
        ChatStream s = baton.stream(ChatRequest.builder().user("hi").includeUsage(true).build())) {
      long start = System.nanoTime();

      List<ChatChunk> chunks = new ArrayList<>();
      s.forEach(chunks::add);

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(chunks).extracting(ChatChunk::text).containsSubsequence("all ", "here");
      assertThat(chunks.get(chunks.size() - 1).usage()).isEqualTo(Usage.of(9, 2));
      assertThat(fallback.requests()).isEmpty();
    }
  }

  @Test
  void aStreamThatEndsWithoutFinishOrDoneIsNotTakenAsComplete() {
    primary.always(Reply.sse(List.of(roleChunk("m"), chunk("m", "half an "))));
    fallback.always(Reply.sse(stream("fallback-model", "half ", "an ", "answer")));
    try (Baton baton = baton(Duration.ofSeconds(2), Duration.ofSeconds(2)); ChatStream s = baton.stream("hi")) {

      assertThat(text(s)).isEqualTo("half an answer");
      assertThat(s.attempts().get(0).error()).isInstanceOf(ConnectionFailedException.class)
          .hasMessageContaining("ended before the answer was complete");
    }
  }

  @Test
  void anErrorEventInsideTheStreamIsResumedByTheFallback() {
    primary.always(Reply.sse(List.of(roleChunk("m"), chunk("m", "one "),
        "data: " + error("The server had an error while processing your request.", "server_error", null) + "\n\n")));
    fallback.always(Reply.sse(stream("fallback-model", "one ", "two")));
    try (Baton baton = baton(Duration.ofSeconds(2), Duration.ofSeconds(2)); ChatStream s = baton.stream("hi")) {

      assertThat(text(s)).isEqualTo("one two");
      assertThat(s.attempts().get(0).error()).isInstanceOf(ServerErrorException.class);
    }
  }

  @Test
  void aMalformedEventIsSkippedAndTheRestDelivered() {
    primary.always(Reply.sse(List.of(roleChunk("m"), chunk("m", "before "), "data: {\"choices\": [{\"delta\": \n\n",
        chunk("m", "after"), finishChunk("m", "stop"), DONE)));
    try (Baton baton = baton(Duration.ofSeconds(2), Duration.ofSeconds(2)); ChatStream s = baton.stream("hi")) {

      assertThat(text(s)).isEqualTo("before after");
      assertThat(fallback.requests()).isEmpty();
    }
  }

  @Test
  void aBreakWithNothingLeftEndsTheIterationWithAnErrorNotASilentEnd() {
    primary.always(Reply.sse(numberedStream("m", 10)).cutAfter(4));
    try (Baton baton = Baton.builder().model(Upstreams.openAi("primary", primary).build()).retries(0).build();
        ChatStream s = baton.stream("hi")) {
      List<String> received = new ArrayList<>();

      assertThatThrownBy(() -> s.forEach(c -> received.add(c.text())))
          .isInstanceOf(AllModelsFailedException.class);
      assertThat(received).containsExactly("", "t0 ", "t1 ", "t2 ");
    }
  }

  @Test
  void aBrokenStreamsUsageIsAddedToTheFinalUsage() {
    primary.always(Reply.sse(numberedStream("m", 40)).cutAfter(21));
    fallback.always(Reply.sse(numberedStream("f", 40)));
    try (Baton baton = baton(Duration.ofSeconds(2), Duration.ofSeconds(2));
        ChatStream s = baton.stream(ChatRequest.builder().user("hi").includeUsage(true).build())) {

      ChatResponse whole = s.collect();

      assertThat(whole.usage().completionTokens()).as("the fallback's 40 + an estimate for 20 broken-off tokens")
          .isGreaterThan(40);
    }
  }
}
