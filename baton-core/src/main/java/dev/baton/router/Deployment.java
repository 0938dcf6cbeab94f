package dev.baton.router;

import dev.baton.BatonEvent;
import dev.baton.catalogue.Pricing;
import dev.baton.config.CooldownConfig;
import dev.baton.config.ModelConfig;
import dev.baton.config.RouterConfig;
import dev.baton.provider.Call;
import dev.baton.provider.Capabilities;
import dev.baton.provider.Provider;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One provider model served under a public name, with its settings resolved against the router's
 * defaults and its live state: circuit breaker, requests in flight, recent latency, and what it has
 * taught us about assistant prefill.
 */
final class Deployment {

  /** How quickly the latency average follows new measurements. */
  private static final double LATENCY_WEIGHT = 0.2;

  private final ModelConfig config;
  private final String id;
  private final Provider provider;
  private final Duration timeout;
  private final Duration firstTokenTimeout;
  private final Duration idleTimeout;
  private final int retries;
  private final Circuit circuit;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final UsageWindow usage = new UsageWindow();
  /** The cluster's rpm/tpm windows when shared with other instances; null to decide from {@link #usage} alone. */
  private final SharedRouterState.@Nullable Window sharedWindow;
  private volatile double latencyEwmaNanos;
  private final boolean prefillSet;
  private volatile Prefill prefill;
  private final @Nullable Pricing pricing;

  /** What is known of whether the deployment continues a trailing assistant message (a prefill). */
  enum Prefill {
    /** It does: a broken answer is continued by prefill. */
    YES,
    /** Not known yet: the first prefill it gets holds back the last words, to see it write them again. */
    UNKNOWN,
    /** It does not (it refused one, or answered one anew): a broken answer is continued by a continue turn. */
    NO
  }

  Deployment(ModelConfig config, String id, Provider provider, RouterConfig router, Consumer<BatonEvent> events) {
    this(config, id, provider, router, events, null, SharedRouterState.NONE);
  }

  /**
   * @param pricing what its answers cost (from its configuration or the model catalogue), or null
   * @param shared what it shares with other instances: its circuit, its rpm/tpm windows
   */
  Deployment(ModelConfig config, String id, Provider provider, RouterConfig router, Consumer<BatonEvent> events,
      @Nullable Pricing pricing, SharedRouterState shared) {
    this.pricing = pricing;
    this.config = config;
    this.id = id;
    this.provider = provider;
    this.timeout = config.timeout() != null ? config.timeout() : router.attemptTimeout();
    this.firstTokenTimeout = config.firstTokenTimeout() != null ? config.firstTokenTimeout() : timeout;
    this.idleTimeout = config.idleTimeout() != null ? config.idleTimeout() : router.idleTimeout();
    this.retries = config.retries() != null ? config.retries() : router.retries();
    CooldownConfig cooldown = router.cooldown();
    this.circuit = new Circuit(id, cooldown, shared, timeout,
        (from, to) -> events.accept(new BatonEvent.CircuitChanged(id, from, to)));
    this.sharedWindow = config.rpm() == null && config.tpm() == null ? null
        : shared.window(id, config.rpm(), config.tpm());
    this.prefillSet = config.assistantPrefill() != null;
    Capabilities can = provider.capabilities();
    this.prefill = prefillSet
        ? (config.assistantPrefill() ? Prefill.YES : Prefill.NO)
        : can.prefillUnknown() ? Prefill.UNKNOWN : can.assistantPrefill() ? Prefill.YES : Prefill.NO;
  }

  /** The public model name. */
  String name() {
    return config.name();
  }

  /** The id within its group: the name, or {@code name#n} when the group has several. */
  String id() {
    return id;
  }

  String providerName() {
    return config.provider();
  }

  String upstreamModel() {
    return config.model();
  }

  Provider provider() {
    return provider;
  }

  ModelConfig config() {
    return config;
  }

  int retries() {
    return retries;
  }

  int weight() {
    return Math.max(1, config.weight());
  }

  Circuit circuit() {
    return circuit;
  }

  int inFlight() {
    return inFlight.get();
  }

  void begin() {
    inFlight.incrementAndGet();
  }

  void end() {
    inFlight.decrementAndGet();
  }

  /** The recent time to first answer, 0 before the first measurement. */
  double latencyEwmaNanos() {
    return latencyEwmaNanos;
  }

  void recordLatency(long nanos) {
    double previous = latencyEwmaNanos;
    // A lost update under contention only skews an average a little; no lock on the request path.
    latencyEwmaNanos = previous == 0 ? nanos : previous + LATENCY_WEIGHT * (nanos - previous);
  }

  double pricePerMtok() {
    Double in = config.inputCostPerMtok();
    Double out = config.outputCostPerMtok();
    if (in == null && out == null) {
      return Double.MAX_VALUE;
    }
    return (in == null ? 0 : in) + (out == null ? 0 : out);
  }

  @Nullable Pricing pricing() {
    return pricing;
  }

  Prefill prefill() {
    return prefill;
  }

  /**
   * What a continuation taught: the deployment continued a prefill, or refused or ignored one. Kept for
   * its later continuations, unless {@code assistant_prefill} is set, which decides for good.
   */
  void learnPrefill(boolean continues) {
    if (!prefillSet) {
      prefill = continues ? Prefill.YES : Prefill.NO;
    }
  }

  /**
   * Whether a request of about {@code promptTokens} would take this deployment past its {@code rpm} or
   * {@code tpm} now. A single request larger than the whole {@code tpm} is let through on an idle
   * minute, since waiting would never help it.
   */
  boolean atLimit(long promptTokens, long nowNanos) {
    Integer rpm = config.rpm();
    Integer tpm = config.tpm();
    if (rpm == null && tpm == null) {
      return false;
    }
    if (sharedWindow != null) {
      return sharedWindow.atLimit(promptTokens);
    }
    long second = nowNanos / 1_000_000_000L;
    long used = usage.tokens(second);
    return (rpm != null && usage.requests(second) >= rpm) || (tpm != null && used > 0 && used + promptTokens > tpm);
  }

  /** Counts a request sent, for {@code rpm} and {@code tpm}. */
  void countRequest(long promptTokens, long nowNanos) {
    if (config.rpm() != null || config.tpm() != null) {
      usage.add(nowNanos / 1_000_000_000L, 1, promptTokens);
      if (sharedWindow != null) {
        sharedWindow.countRequest(promptTokens);
      }
    }
  }

  /** Counts the tokens an answer produced against {@code tpm}. */
  void countTokens(long tokens, long nowNanos) {
    if (config.tpm() != null && tokens > 0) {
      usage.add(nowNanos / 1_000_000_000L, 0, tokens);
      if (sharedWindow != null) {
        sharedWindow.countTokens(tokens);
      }
    }
  }

  /** When a deployment at its {@code rpm}/{@code tpm} limit has room again, in {@link System#nanoTime()}. */
  long limitsFreeAt(long nowNanos) {
    long second = nowNanos / 1_000_000_000L;
    return nowNanos + (usage.freesAt(second) - second) * 1_000_000_000L;
  }

  /** Whether a prompt of about this many tokens exceeds {@code max_input_tokens}. */
  boolean tooLargeFor(long promptTokens) {
    Integer max = config.maxInputTokens();
    return max != null && promptTokens > max;
  }

  Call newCall(long requestDeadline) {
    return new Call(id, config.provider(), timeout, firstTokenTimeout, idleTimeout, requestDeadline);
  }

  @Override
  public String toString() {
    return id + " (" + config.provider() + "/" + config.model() + ")";
  }
}
