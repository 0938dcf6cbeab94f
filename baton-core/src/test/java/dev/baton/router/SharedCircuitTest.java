package dev.baton.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.BatonEvent.CircuitState;
import dev.baton.ServerErrorException;
import dev.baton.UpstreamException;
import dev.baton.config.CooldownConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A circuit with other instances behind {@link SharedRouterState}: what it tells them and takes from them. */
class SharedCircuitTest {

  private static final CooldownConfig COOLDOWN = new CooldownConfig(2, Duration.ofSeconds(60), Duration.ofSeconds(30));
  private static final long SECOND = 1_000_000_000L;

  /** Records what the circuit tells the cluster, and answers probe claims as told. */
  private static final class Cluster implements SharedRouterState {
    final List<String> told = new ArrayList<>();
    boolean probeFree = true;

    @Override
    public void opened(String deployment, Instant until) {
      told.add("opened " + deployment);
    }

    @Override
    public void closed(String deployment) {
      told.add("closed " + deployment);
    }

    @Override
    public boolean claimProbe(String deployment, Duration hold) {
      told.add("claim " + deployment + " for " + hold.toSeconds() + "s");
      return probeFree;
    }
  }

  private final Cluster cluster = new Cluster();
  private final List<String> changes = new ArrayList<>();
  private final Circuit circuit = new Circuit("smart#2", COOLDOWN, cluster, Duration.ofSeconds(60),
      (from, to) -> changes.add(from + "->" + to));

  private static UpstreamException failure() {
    return new ServerErrorException(UpstreamException.Source.of("smart#2", "openai"), "exploded");
  }

  @Test
  void anOpeningIsToldToTheClusterAndTheProbeIsClaimedFromIt() {
    long now = 0;
    circuit.failed(circuit.acquire(now), failure(), now);
    circuit.failed(circuit.acquire(now), failure(), now);
    assertThat(circuit.state()).isEqualTo(CircuitState.OPEN);
    assertThat(cluster.told).containsExactly("opened smart#2");

    long cooled = now + 31 * SECOND;
    Circuit.Permit probe = circuit.acquire(cooled);
    assertThat(probe.probe()).as("the probe, claimed from the cluster").isTrue();
    assertThat(cluster.told).containsExactly("opened smart#2", "claim smart#2 for 60s");
    circuit.succeeded(probe);
    assertThat(circuit.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(cluster.told).last().isEqualTo("closed smart#2");
  }

  @Test
  void whileAnotherInstanceHoldsTheProbeNoneGoesOutAndItIsAskedForAgainASecondLater() {
    circuit.failed(circuit.acquire(0), failure(), 0);
    circuit.failed(circuit.acquire(0), failure(), 0);
    cluster.probeFree = false;
    long cooled = 31 * SECOND;

    assertThat(circuit.acquire(cooled).granted()).as("the probe is another instance's").isFalse();
    assertThat(circuit.acquire(cooled + SECOND / 2).granted()).as("half a second later, not asked again").isFalse();
    assertThat(circuit.available(cooled + SECOND / 2)).isFalse();
    assertThat(cluster.told.stream().filter(t -> t.startsWith("claim"))).hasSize(1);

    cluster.probeFree = true;
    assertThat(circuit.available(cooled + SECOND)).isTrue();
    assertThat(circuit.acquire(cooled + SECOND).probe()).as("a second later, asked again and granted").isTrue();
  }

  @Test
  void anotherInstancesOpeningAndClosingApplyHereWithoutBeingToldBack() {
    long now = System.nanoTime();
    circuit.openedElsewhere(Instant.now().plusSeconds(30), now);
    assertThat(circuit.state()).isEqualTo(CircuitState.OPEN);
    assertThat(circuit.acquire(now + SECOND).granted()).isFalse();
    circuit.openedElsewhere(Instant.now().plusSeconds(10), now);
    assertThat(circuit.available(now + 20 * SECOND)).as("an earlier end does not shorten the opening").isFalse();
    circuit.openedElsewhere(Instant.now().minusSeconds(1), now);
    assertThat(circuit.state()).as("an opening already over").isEqualTo(CircuitState.OPEN);

    circuit.closedElsewhere();
    assertThat(circuit.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(circuit.acquire(now).granted()).isTrue();
    assertThat(cluster.told).as("what this circuit told the cluster").isEmpty();
    assertThat(changes).containsExactly("CLOSED->OPEN", "OPEN->CLOSED");
  }
}
