package dev.baton.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Baton;
import dev.baton.BatonEvent.CircuitState;
import dev.baton.DeploymentStatus;
import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigLoader;
import dev.baton.config.Environment;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.Reply;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Contract section 8's circuits, with three SDK routers over one real Redis: a circuit opened on one
 * instance is open on all within 2 s, and when its cooldown ends only one half-open probe goes out from
 * the whole cluster; a deployment's rpm holds for the cluster.
 */
class SharedCircuitsTest {

  private final FakeUpstream primary = FakeUpstream.start();
  private final FakeUpstream backup = FakeUpstream.start();
  private final List<Baton> batons = new ArrayList<>();
  private Cluster cluster;

  @AfterEach
  void stop() {
    batons.forEach(Baton::close);
    if (cluster != null) {
      cluster.close();
    }
    primary.close();
    backup.close();
  }

  private void startThree(String primaryLimits) {
    cluster = new Cluster(3, Clock.systemUTC());
    BatonConfig config = ConfigLoader.parse("""
        models:
          - name: primary
            provider: openai-compatible
            model: primary-model
            api_base: %s/v1
            timeout: 5s
        %s
          - name: backup
            provider: openai-compatible
            model: backup-model
            api_base: %s/v1
        router:
          retries: 0
          fallbacks:
            primary: [backup]
          cooldown:
            failures: 2
            window: 60s
            duration: 2s
        """.formatted(primary.url(), primaryLimits, backup.url()), "cluster.yaml", Environment.of(Map.of()));
    for (RedisState state : cluster.instances) {
      batons.add(Baton.builder().config(config).environment(Environment.of(Map.of()))
          .sharedState(state.router()).build());
    }
    backup.always(Reply.json(200, OpenAiFixtures.chatCompletion("backup-model", "from the backup")));
  }

  private static CircuitState circuit(Baton baton) {
    return baton.deployments().stream().filter(d -> d.deployment().equals("primary"))
        .map(DeploymentStatus::circuit).findFirst().orElseThrow();
  }

  @Test
  void aCircuitOpenedOnOneInstanceIsOpenOnAllAndOneProbeGoesOutFromTheCluster() throws Exception {
    startThree("");
    AtomicBoolean primaryUp = new AtomicBoolean(false);
    ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
    // Every answer of the primary takes 400 ms, so a probe is in flight long enough to see a second one.
    primary.respond(request -> {
      arrivals.add(System.nanoTime());
      return (primaryUp.get()
          ? Reply.json(200, OpenAiFixtures.chatCompletion("primary-model", "from the primary"))
          : Reply.json(500, OpenAiFixtures.error("upstream exploded", "server_error", "internal")))
          .delayHeaders(Duration.ofMillis(400));
    });

    batons.get(0).chat("one");
    batons.get(0).chat("two");
    long openedAt = System.nanoTime();
    assertThat(circuit(batons.get(0))).as("instance 0 after two failures").isEqualTo(CircuitState.OPEN);
    Cluster.within(Duration.ofSeconds(2), "instances 1 and 2 open the circuit instance 0 opened",
        () -> circuit(batons.get(1)) == CircuitState.OPEN && circuit(batons.get(2)) == CircuitState.OPEN);
    for (Baton baton : batons) {
      assertThat(baton.chat("while open").text()).as("answered by the fallback while open")
          .isEqualTo("from the backup");
    }
    assertThat(arrivals).as("requests to the primary: the two that opened it").hasSize(2);

    // The cooldown (2 s) ends on every instance at once while all three keep sending. One probe goes out,
    // fails 400 ms later, and the circuit opens again everywhere for another 2 s: until 4.4 s at the earliest.
    sendFromEveryInstanceUntil(() -> System.nanoTime() - openedAt > Duration.ofMillis(3_500).toNanos());
    assertThat(arrivals.size() - 2).as("probes the cluster sent when the cooldown ended").isEqualTo(1);

    // The next cooldown's probe succeeds (in 400 ms); while it is in flight no other request may reach the
    // primary, from any instance.
    primaryUp.set(true);
    sendFromEveryInstanceUntil(() -> arrivals.size() > 3 || System.nanoTime() - openedAt > Duration.ofSeconds(8).toNanos());
    assertThat(arrivals).as("requests to the primary").hasSizeGreaterThan(3);
    long probe = arrivals.stream().skip(3).findFirst().orElseThrow();
    assertThat(arrivals.stream().skip(4).filter(t -> t - probe < Duration.ofMillis(350).toNanos()))
        .as("requests that reached the primary while the second cooldown's probe was in flight").isEmpty();
    Cluster.within(Duration.ofSeconds(2), "every instance closes the circuit after the probe succeeded",
        () -> batons.stream().allMatch(b -> circuit(b) == CircuitState.CLOSED));
    for (Baton baton : batons) {
      assertThat(baton.chat("closed again").text()).isEqualTo("from the primary");
    }
  }

  /** Each instance sends requests, one after another, in parallel with the others, until {@code done}. */
  private void sendFromEveryInstanceUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    List<Thread> senders = new ArrayList<>();
    for (Baton baton : batons) {
      senders.add(Thread.ofVirtual().start(() -> {
        while (!done.getAsBoolean()) {
          String text = baton.chat("through the cooldown's end").text();
          if (!text.equals("from the backup") && !text.equals("from the primary")) {
            failures.add(text);
          }
        }
      }));
    }
    for (Thread sender : senders) {
      sender.join();
    }
    assertThat(failures).as("unexpected answers").isEmpty();
  }

  @Test
  void aCircuitOpenedWhileRedisWasAwayReachesTheOthersWhenItReturns() {
    startThree("");
    primary.always(Reply.json(500, OpenAiFixtures.error("upstream exploded", "server_error", "internal")));
    cluster.redis.kill();
    cluster.awaitDown();
    batons.get(2).chat("one");
    batons.get(2).chat("two");
    assertThat(circuit(batons.get(2))).as("instance 2, alone").isEqualTo(CircuitState.OPEN);
    assertThat(circuit(batons.get(0))).as("instance 0 cannot know yet").isEqualTo(CircuitState.CLOSED);
    // Redis returns empty; the next opening (the probe after the cooldown fails) is shared again.
    cluster.redis.restart();
    cluster.awaitUp();
    Cluster.within(Duration.ofSeconds(6), "instance 2's next opening reaches instances 0 and 1", () -> {
      batons.get(2).chat("probe");
      return circuit(batons.get(0)) == CircuitState.OPEN && circuit(batons.get(1)) == CircuitState.OPEN;
    });
  }

  @Test
  void aDeploymentsRpmHoldsForTheWholeCluster() {
    startThree("    rpm: 30");
    primary.always(Reply.json(200, OpenAiFixtures.chatCompletion("primary-model", "from the primary")));
    int fromPrimary = 0;
    for (int n = 0; n < 90; n++) {
      if (batons.get(n % 3).chat("request " + n).text().equals("from the primary")) {
        fromPrimary++;
      }
    }
    assertThat(fromPrimary).as("of 90 requests over three instances, sent to the primary (rpm 30)")
        .isBetween(27, 33);
    assertThat(primary.requests()).as("requests the primary received").hasSize(fromPrimary);
  }
}
