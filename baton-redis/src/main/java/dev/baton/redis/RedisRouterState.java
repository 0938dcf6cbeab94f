package dev.baton.redis;

import dev.baton.router.SharedRouterState;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The router's shared state in Redis. Circuits: an opening is kept in one hash (deployment to the end of
 * its cooldown, the later end winning) and announced on the events channel, so every instance opens it
 * within milliseconds, and one that was away reads the hash when Redis answers again. The half-open
 * probe is one key per deployment, claimed atomically (granted to whoever holds nothing or holds it
 * already) and held for the deployment's attempt timeout; an opening frees it for the next cooldown's
 * end, a closing keeps it two more seconds so that no instance that has not heard yet probes again.
 * Deployments' rpm/tpm windows are {@link RedisCounters}'.
 */
final class RedisRouterState implements SharedRouterState {

  private static final String CIRCUITS = "baton:{circuits}";
  private static final long CLOSED_HOLD_MS = 2_000;

  private final RedisLink link;
  private final RedisCounters counters;

  RedisRouterState(RedisLink link, RedisCounters counters) {
    this.link = link;
    this.counters = counters;
  }

  private static String probeKey(String deployment) {
    return CIRCUITS + ":probe:" + deployment;
  }

  @Override
  public void listen(CircuitListener listener) {
    link.subscribe("opened", payload -> {
      int space = payload.indexOf(' ');
      listener.opened(payload.substring(space + 1), Instant.ofEpochMilli(Long.parseLong(payload.substring(0, space))));
    });
    link.subscribe("closed", listener::closed);
    link.onUp(empty -> readOpenCircuits(listener));
    if (link.up()) {
      readOpenCircuits(listener);
    }
  }

  /** Applies every opening Redis holds whose cooldown has not ended: what was missed while away. */
  private void readOpenCircuits(CircuitListener listener) {
    var commands = link.commands();
    if (commands == null) {
      return;
    }
    commands.hgetall(CIRCUITS).thenAccept((Map<String, String> open) -> {
      long now = System.currentTimeMillis();
      open.forEach((deployment, until) -> {
        long end = Long.parseLong(until);
        if (end > now) {
          listener.opened(deployment, Instant.ofEpochMilli(end));
        }
      });
    });
  }

  @Override
  public void opened(String deployment, Instant until) {
    if (!link.up()) {
      return;
    }
    String end = Long.toString(until.toEpochMilli());
    link.eval(Scripts.OPENED, ScriptOutputType.INTEGER, new String[] {CIRCUITS, probeKey(deployment)}, deployment, end,
        link.instance());
    link.publish("opened", end + " " + deployment);
  }

  @Override
  public void closed(String deployment) {
    var commands = link.commands();
    if (commands == null || !link.up()) {
      return;
    }
    commands.hdel(CIRCUITS, deployment);
    commands.pexpire(probeKey(deployment), CLOSED_HOLD_MS);
    link.publish("closed", deployment);
  }

  /**
   * Alone (Redis down), this instance's own circuit decides. Redis up but late or slow: not now — the
   * circuit asks again in a second, and a claim that landed meanwhile is this instance's to take — since
   * granting a probe Redis may have given another instance would send two.
   */
  @Override
  public boolean claimProbe(String deployment, Duration hold) {
    if (!link.up()) {
      return true;
    }
    if (!link.usable()) {
      return false;
    }
    Long granted = link.await(link.<Long>eval(Scripts.CLAIM_PROBE, ScriptOutputType.INTEGER,
        new String[] {probeKey(deployment)}, link.instance(), Long.toString(Math.max(1, hold.toMillis()))),
        RedisLink.onPathDeadline());
    return granted != null ? granted == 1L : !link.up();
  }

  @Override
  public @Nullable Window window(String deployment, @Nullable Integer rpm, @Nullable Integer tpm) {
    return counters.deploymentWindow(deployment, rpm, tpm);
  }
}
