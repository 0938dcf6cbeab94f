package dev.baton.router;

import dev.baton.BatonEvent.CircuitState;
import dev.baton.RateLimitedException;
import dev.baton.UpstreamException;
import dev.baton.config.CooldownConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * One deployment's circuit breaker, after Resilience4j's: {@code failures} within {@code window} open
 * it; after {@code duration} it is half-open and lets exactly one probe through, whose outcome closes
 * or reopens it. Separately, a rate limit with {@code Retry-After} blocks the deployment until then.
 *
 * <p>The common case — closed, not blocked — is two volatile reads and no lock; only failures and
 * state changes take the lock.
 *
 * <p>With other instances ({@link SharedRouterState}), an opening is told to them and theirs applied here
 * ({@link #openedElsewhere}, {@link #closedElsewhere}); when the cooldown ends, the probe this circuit
 * grants is also claimed from the cluster, outside the lock, and while another instance holds it this
 * circuit asks again every second rather than waiting forever for an outcome that may never be heard.
 */
final class Circuit {

  /** The answer to "may a request go to this deployment now?". */
  record Permit(boolean granted, boolean probe, long until, boolean rateLimited) {
    static final Permit GRANTED = new Permit(true, false, 0, false);
    static final Permit PROBE = new Permit(true, true, 0, false);

    static Permit denied(long until, boolean rateLimited) {
      return new Permit(false, false, until, rateLimited);
    }
  }

  private static final long PROBE_WAIT_HINT = Duration.ofSeconds(1).toNanos();

  private final String id;
  private final CooldownConfig config;
  private final SharedRouterState shared;
  private final Duration probeHold;
  private final BiConsumer<CircuitState, CircuitState> onChange;
  private final ArrayDeque<Long> failures = new ArrayDeque<>();
  private final AtomicBoolean probeTaken = new AtomicBoolean();
  private volatile CircuitState state = CircuitState.CLOSED;
  private volatile long openUntil;
  private volatile long blockedUntil;
  /** While another instance holds the probe: when to ask the cluster for it again (0: not held elsewhere). */
  private volatile long probeElsewhereUntil;

  Circuit(CooldownConfig config, BiConsumer<CircuitState, CircuitState> onChange) {
    this("", config, SharedRouterState.NONE, Duration.ZERO, onChange);
  }

  /**
   * @param id the deployment's id, as other instances know it
   * @param probeHold how long a probe may take before the cluster lets another instance probe instead
   */
  Circuit(String id, CooldownConfig config, SharedRouterState shared, Duration probeHold,
      BiConsumer<CircuitState, CircuitState> onChange) {
    this.id = id;
    this.config = config;
    this.shared = shared;
    this.probeHold = probeHold;
    this.onChange = onChange;
  }

  CircuitState state() {
    return state;
  }

  /** Asks to send a request now; a granted probe must be followed by exactly one outcome. */
  Permit acquire(long now) {
    long blocked = blockedUntil;
    if (blocked != 0 && blocked - now > 0) {
      return Permit.denied(blocked, true);
    }
    CircuitState s = state;
    if (s == CircuitState.CLOSED) {
      return Permit.GRANTED;
    }
    if (s == CircuitState.OPEN && openUntil - now > 0) {
      return Permit.denied(openUntil, false);
    }
    synchronized (this) {
      if (state == CircuitState.OPEN && openUntil - now <= 0) {
        change(CircuitState.HALF_OPEN);
        probeTaken.set(false);
        probeElsewhereUntil = 0;
      }
      if (state == CircuitState.HALF_OPEN && probeElsewhereUntil != 0 && probeElsewhereUntil - now <= 0) {
        probeElsewhereUntil = 0;
        probeTaken.set(false);
      }
      if (state == CircuitState.CLOSED) {
        return Permit.GRANTED;
      }
      if (!(state == CircuitState.HALF_OPEN && probeTaken.compareAndSet(false, true))) {
        return Permit.denied(state == CircuitState.OPEN ? openUntil : now + PROBE_WAIT_HINT, false);
      }
    }
    // Asked outside the lock: the cluster answers within milliseconds, but other requests need not wait.
    if (shared.claimProbe(id, probeHold)) {
      return Permit.PROBE;
    }
    synchronized (this) {
      if (state == CircuitState.HALF_OPEN) {
        probeElsewhereUntil = now + PROBE_WAIT_HINT;
      }
    }
    return Permit.denied(now + PROBE_WAIT_HINT, false);
  }

  /** Whether {@link #acquire} would grant now, without taking a probe. */
  boolean available(long now) {
    long blocked = blockedUntil;
    if (blocked != 0 && blocked - now > 0) {
      return false;
    }
    CircuitState s = state;
    long elsewhere = probeElsewhereUntil;
    return s == CircuitState.CLOSED
        || (s == CircuitState.OPEN && openUntil - now <= 0)
        || (s == CircuitState.HALF_OPEN && (!probeTaken.get() || (elsewhere != 0 && elsewhere - now <= 0)));
  }

  /** The deployment answered (or refused the request itself, which says it is up). */
  void succeeded(Permit permit) {
    if (state == CircuitState.CLOSED && !permit.probe()) {
      return;
    }
    synchronized (this) {
      failures.clear();
      if (state != CircuitState.CLOSED && (permit.probe() || state == CircuitState.HALF_OPEN)) {
        change(CircuitState.CLOSED);
        shared.closed(id);
      }
    }
  }

  /** The deployment failed in a way that says it is unhealthy. */
  void failed(Permit permit, UpstreamException error, long now) {
    synchronized (this) {
      if (error instanceof RateLimitedException && error.retryAfter().isPresent()) {
        long until = now + error.retryAfter().get().toNanos();
        if (blockedUntil == 0 || until - blockedUntil > 0) {
          blockedUntil = until;
        }
      }
      if (permit.probe() || state == CircuitState.HALF_OPEN) {
        open(now);
        return;
      }
      if (state == CircuitState.OPEN) {
        return;
      }
      failures.addLast(now);
      long windowStart = now - config.window().toNanos();
      while (!failures.isEmpty() && failures.peekFirst() - windowStart < 0) {
        failures.removeFirst();
      }
      if (failures.size() >= config.failures()) {
        open(now);
      }
    }
  }

  /** The attempt ended without saying anything about health (cancelled); a probe slot is given back. */
  void released(Permit permit) {
    if (permit.probe()) {
      probeTaken.set(false);
    }
  }

  /** Another instance opened this deployment's circuit until {@code until} (a later opening wins). */
  void openedElsewhere(Instant until, long now) {
    long untilNanos = now + Duration.between(Instant.now(), until).toNanos();
    if (untilNanos - now <= 0) {
      return;
    }
    synchronized (this) {
      if (state == CircuitState.OPEN && untilNanos - openUntil <= 0) {
        return;
      }
      failures.clear();
      openUntil = untilNanos;
      probeElsewhereUntil = 0;
      change(CircuitState.OPEN);
    }
  }

  /** Another instance's probe succeeded: the deployment is up again. */
  void closedElsewhere() {
    synchronized (this) {
      failures.clear();
      probeElsewhereUntil = 0;
      change(CircuitState.CLOSED);
    }
  }

  private void open(long now) {
    failures.clear();
    openUntil = now + config.duration().toNanos();
    probeElsewhereUntil = 0;
    change(CircuitState.OPEN);
    shared.opened(id, Instant.now().plus(config.duration()));
  }

  private void change(CircuitState to) {
    CircuitState from = state;
    if (from != to) {
      state = to;
      onChange.accept(from, to);
    }
  }
}
