package dev.baton.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How the router plans each request.
 *
 * @param retries extra attempts on the same deployment for retryable errors
 * @param timeout the whole request, every retry and fallback included
 * @param attemptTimeout the default per-attempt {@code timeout} of deployments that set none
 * @param idleTimeout the default {@code idle_timeout} of deployments that set none
 * @param strategy how a deployment is picked within a group: {@code weighted}, {@code least-busy},
 *     {@code latency} or {@code cost}
 * @param fallbacks public name to the ordered names to try when it fails
 * @param defaultFallbacks the fallbacks of every name without its own entry
 * @param contextWindowFallbacks used instead of {@code fallbacks} for context-window errors
 * @param contentPolicyFallbacks used for content-policy refusals; without an entry, a refusal reaches the caller
 * @param cooldown each deployment's circuit breaker
 * @param maxRetryAfterWait the longest {@code Retry-After} worth waiting out on a rate-limited deployment
 *     rather than falling back at once, when the request's deadline leaves room for it; zero never waits
 *     while something else can answer
 */
public record RouterConfig(
    int retries,
    Duration timeout,
    Duration attemptTimeout,
    Duration idleTimeout,
    String strategy,
    Map<String, List<String>> fallbacks,
    List<String> defaultFallbacks,
    Map<String, List<String>> contextWindowFallbacks,
    Map<String, List<String>> contentPolicyFallbacks,
    CooldownConfig cooldown,
    Duration maxRetryAfterWait) {

  public static final int DEFAULT_RETRIES = 2;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
  public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_MAX_RETRY_AFTER_WAIT = Duration.ofSeconds(5);
  public static final List<String> STRATEGIES = List.of("weighted", "least-busy", "latency", "cost");

  public RouterConfig {
    fallbacks = copy(fallbacks);
    defaultFallbacks = List.copyOf(defaultFallbacks);
    contextWindowFallbacks = copy(contextWindowFallbacks);
    contentPolicyFallbacks = copy(contentPolicyFallbacks);
  }

  /** The settings without {@code max_retry_after_wait}, which takes its default. */
  public RouterConfig(int retries, Duration timeout, Duration attemptTimeout, Duration idleTimeout, String strategy,
      Map<String, List<String>> fallbacks, List<String> defaultFallbacks,
      Map<String, List<String>> contextWindowFallbacks, Map<String, List<String>> contentPolicyFallbacks,
      CooldownConfig cooldown) {
    this(retries, timeout, attemptTimeout, idleTimeout, strategy, fallbacks, defaultFallbacks, contextWindowFallbacks,
        contentPolicyFallbacks, cooldown, DEFAULT_MAX_RETRY_AFTER_WAIT);
  }

  public static RouterConfig defaults() {
    return new RouterConfig(DEFAULT_RETRIES, DEFAULT_TIMEOUT, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
        "weighted", Map.of(), List.of(), Map.of(), Map.of(), CooldownConfig.DEFAULT, DEFAULT_MAX_RETRY_AFTER_WAIT);
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> map) {
    java.util.LinkedHashMap<String, List<String>> copy = new java.util.LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return java.util.Collections.unmodifiableMap(copy);
  }
}
