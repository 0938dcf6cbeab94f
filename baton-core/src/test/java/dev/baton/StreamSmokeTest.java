package dev.baton;

import static dev.baton.testkit.OpenAiFixtures.numberedStream;
import static dev.baton.testkit.OpenAiFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.Reply;
import java.time.Duration;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

class StreamSmokeTest {

  @Test
  void streamsChunksInOrder() {
    try (FakeUpstream up = FakeUpstream.start()) {
      up.always(Reply.sse(stream("m", "Hel", "lo", "!")));
      try (Baton baton = Baton.builder().model(Upstreams.openAi("a", up).build()).build();
          ChatStream s = baton.stream("hi")) {
        StringBuilder text = new StringBuilder();
        for (ChatChunk c : s) {
          text.append(c.text());
        }
        assertThat(text.toString()).isEqualTo("Hello!");
        assertThat(s.usage()).isNotNull();
      }
    }
  }

  @Test
  void resumesFromFallbackWhenStreamIsCut() {
    try (FakeUpstream a = FakeUpstream.start(); FakeUpstream b = FakeUpstream.start()) {
      a.always(Reply.sse(numberedStream("a", 60)).cutAfter(41));
      // b does as the continue turn asks: begins with the last words already written, then goes on.
      b.always(Reply.sse(stream("b", OpenAiFixtures.numberedPieces(35, 60))));
      try (Baton baton = Baton.builder()
          .model(Upstreams.openAi("a", a).build())
          .model(Upstreams.openAi("b", b).assistantPrefill(false).build())
          .fallbacks("a", "b").retries(0).build();
          ChatStream s = baton.stream("count")) {
        ChatResponse whole = s.collect();
        assertThat(whole.text()).as("t0..t39 from a, then b's reply without the five words it began with")
            .isEqualTo(OpenAiFixtures.numberedText(0, 60));
        assertThat(whole.model()).isEqualTo("b");
        assertThat(b.lastRequest().bodyText()).contains("t39 ").contains("Continue it from exactly where it stopped")
            .contains("Its last words were:\\n\\nt35 t36 t37 t38 t39");
      }
    }
  }

  @Test
  void closingEarlyClosesTheUpstreamConnection() {
    try (FakeUpstream up = FakeUpstream.start()) {
      up.always(Reply.sse(numberedStream("m", 100)).chunkEvery(Duration.ofMillis(20)));
      try (Baton baton = Baton.builder().model(Upstreams.openAi("a", up).build()).build()) {
        ChatStream s = baton.stream("hi");
        Iterator<ChatChunk> it = s.iterator();
        it.next();
        it.next();
        s.close();
        up.awaitNoOpenConnections(Duration.ofSeconds(3));
        assertThat(s.attempts()).extracting(Attempt::outcome).containsExactly(Attempt.Outcome.CANCELLED);
      }
    }
  }
}
