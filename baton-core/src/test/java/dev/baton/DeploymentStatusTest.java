package dev.baton;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static dev.baton.testkit.OpenAiFixtures.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonEvent.CircuitState;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What a health check reads from a running Baton: each deployment's circuit, and which models can answer. */
class DeploymentStatusTest {

  private static final Reply DOWN = Reply.json(503, error("The server is overloaded.", "server_error", null));

  @Test
  void reportsEachDeploymentClosedAndAvailableBeforeAnyRequest() {
    try (FakeUpstream a = FakeUpstream.start(); FakeUpstream b = FakeUpstream.start();
        Baton baton = Baton.builder()
            .model(Upstreams.openAi("a", a).build())
            .model(Upstreams.openAi("b", b).build())
            .model(Upstreams.openAi("b", b).build())
            .build()) {

      List<DeploymentStatus> all = baton.deployments();

      assertThat(all).extracting(DeploymentStatus::deployment).containsExactly("a", "b#1", "b#2");
      assertThat(all).allSatisfy(d -> {
        assertThat(d.circuit()).isEqualTo(CircuitState.CLOSED);
        assertThat(d.available()).isTrue();
        assertThat(d.inFlight()).isZero();
      });
      assertThat(all.get(1)).extracting(DeploymentStatus::model, DeploymentStatus::provider,
          DeploymentStatus::upstreamModel).containsExactly("b", "openai-compatible", "b-model");
    }
  }

  @Test
  void anOpenCircuitWithAWorkingFallbackCanStillAnswer() {
    try (FakeUpstream a = FakeUpstream.start(); FakeUpstream b = FakeUpstream.start()) {
      a.always(DOWN);
      b.always(Reply.json(200, chatCompletion("b-model", "from b")));
      try (Baton baton = Baton.builder()
          .model(Upstreams.openAi("a", a).build())
          .model(Upstreams.openAi("b", b).build())
          .fallbacks("a", "b").retries(0).cooldown(1, Duration.ofMinutes(1), Duration.ofMinutes(1))
          .build()) {

        assertThat(baton.chat(ChatRequest.builder().model("a").user("hi").build()).text()).isEqualTo("from b");

        DeploymentStatus primary = baton.deployments().get(0);
        assertThat(primary.circuit()).isEqualTo(CircuitState.OPEN);
        assertThat(primary.available()).isFalse();
        assertThat(baton.deployments().get(1).circuit()).isEqualTo(CircuitState.CLOSED);
        assertThat(baton.canAnswer("a")).as("a is cooling down but falls back to b").isTrue();
        assertThat(baton.canAnswer("b")).isTrue();
      }
    }
  }

  @Test
  void cannotAnswerWhenEveryModelAlongTheFallbacksIsCoolingDown() {
    try (FakeUpstream a = FakeUpstream.start(); FakeUpstream b = FakeUpstream.start();
        FakeUpstream c = FakeUpstream.start()) {
      a.always(DOWN);
      b.always(DOWN);
      c.always(Reply.json(200, chatCompletion("c-model", "from c")));
      try (Baton baton = Baton.builder()
          .model(Upstreams.openAi("a", a).build())
          .model(Upstreams.openAi("b", b).build())
          .model(Upstreams.openAi("c", c).build())
          .fallbacks("a", "b").retries(0).cooldown(1, Duration.ofMinutes(1), Duration.ofMinutes(1))
          .build()) {

        assertThatThrownBy(() -> baton.chat(ChatRequest.builder().model("a").user("hi").build()))
            .isInstanceOf(AllModelsFailedException.class);

        assertThat(baton.canAnswer("a")).as("a and its fallback b are both open").isFalse();
        assertThat(baton.canAnswer("b")).isFalse();
        assertThat(baton.canAnswer("c")).isTrue();
        assertThatThrownBy(() -> baton.canAnswer("nope")).isInstanceOf(UnknownModelException.class);
      }
    }
  }

  @Test
  void aListenerAddedAfterBuildReceivesTheEventsFromThenOn() {
    try (FakeUpstream a = FakeUpstream.start()) {
      a.always(Reply.json(200, chatCompletion("a-model", "hello")));
      List<BatonEvent> early = new CopyOnWriteArrayList<>();
      List<BatonEvent> late = new CopyOnWriteArrayList<>();
      try (Baton baton = Baton.builder().model(Upstreams.openAi("a", a).build()).listener(early::add).build()) {
        baton.chat("first");

        baton.addListener(event -> {
          throw new IllegalStateException("a broken listener must not stop the others");
        });
        baton.addListener(late::add);
        baton.chat("second");

        assertThat(early).filteredOn(BatonEvent.AttemptFinished.class::isInstance).hasSize(2);
        assertThat(late).filteredOn(BatonEvent.AttemptFinished.class::isInstance).singleElement()
            .satisfies(e -> assertThat(((BatonEvent.AttemptFinished) e).attempt().outcome())
                .isEqualTo(Attempt.Outcome.SUCCEEDED));
      }
    }
  }
}
