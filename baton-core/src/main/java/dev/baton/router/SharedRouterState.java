package dev.baton.router;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the router's deployments share with the other instances of one gateway (contract section 8), so
 * that several instances behind a load balancer behave as one: circuit transitions — a circuit opened on
 * one instance is open on all, and when its cooldown ends one half-open probe goes out from the whole
 * cluster — and the deployments' {@code rpm}/{@code tpm} windows. {@link #NONE} shares nothing: the
 * router then keeps all of it in this process, as an SDK does.
 *
 * <p>Deployments are named by their id within the configuration ({@code name}, or {@code name#n} in a
 * group), the same on every instance that serves the same configuration. Implementations are on the
 * request path: every method answers within a short bound (a few milliseconds), never throws, and when the
 * other instances cannot be reached behaves as if this instance were alone.
 */
public interface SharedRouterState {

  /** Nothing shared: every circuit and window in this process only. */
  SharedRouterState NONE = new SharedRouterState() {};

  /** Hears the circuit transitions other instances made. */
  interface CircuitListener {
    /** Another instance opened {@code deployment}'s circuit until {@code until}. */
    void opened(String deployment, Instant until);

    /** Another instance's probe succeeded: {@code deployment}'s circuit is closed. */
    void closed(String deployment);
  }

  /**
   * A deployment's {@code rpm}/{@code tpm} windows counted by every instance together. The router asks
   * {@link #atLimit} before it sends a request and then counts it, as it does with its own windows.
   */
  interface Window {
    /** Whether a request of about {@code promptTokens} would take the cluster past the limits now. */
    boolean atLimit(long promptTokens);

    /** A request was sent: one request and its prompt's tokens. */
    void countRequest(long promptTokens);

    /** An answer's completion tokens, for {@code tpm}. */
    void countTokens(long tokens);
  }

  /** Called once, when a router starts: how other instances' transitions reach its circuits. */
  default void listen(CircuitListener listener) {}

  /** This instance opened {@code deployment}'s circuit until {@code until}: tell the others. */
  default void opened(String deployment, Instant until) {}

  /** This instance's half-open probe succeeded and closed {@code deployment}'s circuit: tell the others. */
  default void closed(String deployment) {}

  /**
   * Asks for the one half-open probe the cluster may send to {@code deployment} now. True when this
   * instance may send it (or the others cannot be asked); false when another instance holds it. The claim
   * lapses after {@code hold} if its holder never reports an outcome (it died, say).
   */
  default boolean claimProbe(String deployment, Duration hold) {
    return true;
  }

  /**
   * The shared windows of a deployment with limits, or null to count them in this process alone.
   *
   * @param rpm its {@code rpm}, or null
   * @param tpm its {@code tpm}, or null
   */
  default @Nullable Window window(String deployment, @Nullable Integer rpm, @Nullable Integer tpm) {
    return null;
  }
}
