package dev.baton.router;

import dev.baton.AllModelsFailedException;
import dev.baton.Attempt;
import dev.baton.Attempt.Outcome;
import dev.baton.AuthenticationException;
import dev.baton.BadRequestException;
import dev.baton.BatonEvent;
import dev.baton.BatonException;
import dev.baton.ConnectionFailedException;
import dev.baton.ContentPolicyException;
import dev.baton.ContextWindowExceededException;
import dev.baton.NoDeploymentAvailableException;
import dev.baton.NotFoundException;
import dev.baton.QuotaExceededException;
import dev.baton.RateLimitedException;
import dev.baton.ServerErrorException;
import dev.baton.UnreadableResponseException;
import dev.baton.UnsupportedRequestException;
import dev.baton.UpstreamException;
import dev.baton.UpstreamTimeoutException;
import dev.baton.UpstreamTimeoutException.Phase;
import dev.baton.provider.Call;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One request's journey through the plan, and the one place the router decides. {@link #next()} gives
 * the next attempt — the same deployment again after a backoff, the next deployment of the group, or the
 * first deployment of the next fallback model — or throws the request's final failure. Its decisions are
 * contract section 4, read from the sealed error family alone:
 *
 * <ul>
 *   <li>a bad request ends the request: it would fail anywhere;
 *   <li>a content-policy refusal goes to the content-policy fallbacks, or ends the request;
 *   <li>a context-window error goes to the context-window fallbacks (else the ordinary ones), never
 *       retrying the same model;
 *   <li>auth, quota, not-found and requests the deployment cannot serve move on at once;
 *   <li>a timeout moves on at once when anything else is available, and is retried only otherwise;
 *   <li>a rate limit with a {@code Retry-After} of at most {@code max_retry_after_wait} is waited out and
 *       retried when the deadline leaves room; a longer one moves on when anything else is available,
 *       else is waited out;
 *   <li>other retryable failures are retried with backoff up to the deployment's {@code retries}, then move on.
 * </ul>
 *
 * Fallbacks chain: when a fallback fails, its own fallbacks are queued after the ones already planned.
 * No model is planned twice, so loops and repeats cannot happen. Not thread-safe: one request, one thread.
 */
final class Route {

  private static final AtomicLong IDS = new AtomicLong();

  /**
   * The longest the router waits before retrying. A caller is better served by a prompt 429 carrying
   * the upstream's {@code Retry-After} than by a request that hangs for it.
   */
  static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(10);

  private final Router router;
  private final long id = IDS.incrementAndGet();
  private final String primary;
  private final @Nullable List<String> requestFallbacks;
  private final long promptTokens;
  private final RequestTrace trace;
  private long deadline;
  private final List<Attempt> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ArrayDeque<String> pending = new ArrayDeque<>(4);
  private final Set<String> planned = new HashSet<>(4);
  private final ArrayDeque<Deployment> remaining = new ArrayDeque<>(2);
  private @Nullable String currentModel;
  private @Nullable Deployment current;
  private int tries;
  private @Nullable UpstreamException toHandle;
  private @Nullable Deployment again;
  private @Nullable UpstreamException lastFailure;
  private @Nullable UpstreamException groupFailure;
  private long earliestReopen = Long.MAX_VALUE;
  private boolean skippedAny;
  private boolean skippedOnlyRateLimited = true;

  Route(Router router, String model, @Nullable List<String> requestFallbacks, long promptTokens, long deadline,
      RequestTrace trace) {
    this.router = router;
    this.primary = model;
    this.requestFallbacks = requestFallbacks;
    this.promptTokens = promptTokens;
    this.trace = trace;
    this.deadline = deadline;
    pending.add(model);
    planned.add(model);
  }

  long id() {
    return id;
  }

  /** The estimate of the prompt's tokens the route was made with. */
  long promptTokens() {
    return promptTokens;
  }

  long deadline() {
    return deadline;
  }

  /** Delivers one of this request's events to the listeners and to the request's trace. */
  void emit(BatonEvent event) {
    router.events().emit(event);
    trace.onEvent(event);
  }

  /** A broken stream starts a new search for an answer, with a full request timeout of its own. */
  void renewDeadline(Duration timeout) {
    deadline = Math.max(deadline, System.nanoTime() + timeout.toNanos());
  }

  List<Attempt> attempts() {
    return List.copyOf(attempts);
  }

  /** How many attempts actually went upstream. */
  int upstreamAttempts() {
    int n = 0;
    for (Attempt a : attempts) {
      if (a.wentUpstream()) {
        n++;
      }
    }
    return n;
  }

  /** The next attempt to make, or the request's final failure, thrown. */
  Try next() {
    Deployment repeat = again;
    again = null;
    if (repeat != null) {
      Circuit.Permit permit = repeat.circuit().acquire(System.nanoTime());
      if (permit.granted()) {
        return start(repeat, permit);
      }
    }
    UpstreamException failure = toHandle;
    toHandle = null;
    if (failure != null && current != null) {
      Try again = decide(current, failure);
      if (again != null) {
        return again;
      }
    }
    return advance();
  }

  private @Nullable Try decide(Deployment d, UpstreamException failure) {
    return switch (failure) {
      case BadRequestException e -> throw finish(e);
      case ContentPolicyException e -> {
        if (!router.config().contentPolicyFallbacks().containsKey(currentModel)) {
          throw finish(e);
        }
        yield endGroup(e);
      }
      case ContextWindowExceededException e -> endGroup(e);
      case AuthenticationException e -> moveOn(e);
      case QuotaExceededException e -> moveOn(e);
      case NotFoundException e -> moveOn(e);
      case UnsupportedRequestException e -> moveOn(e);
      case UpstreamTimeoutException e -> {
        if (e.phase() == Phase.DEADLINE) {
          throw exhausted();
        }
        yield hasAlternative(e) ? moveOn(e) : retryOrMoveOn(d, e);
      }
      case RateLimitedException e -> e.retryAfter().isPresent() && !worthWaiting(e.retryAfter().get())
          && hasAlternative(e) ? moveOn(e) : retryOrMoveOn(d, e);
      case ServerErrorException e -> retryOrMoveOn(d, e);
      case ConnectionFailedException e -> retryOrMoveOn(d, e);
      case UnreadableResponseException e -> retryOrMoveOn(d, e);
    };
  }

  /**
   * Whether a rate limit's {@code Retry-After} is short enough to wait out on the same deployment rather
   * than fall back at once: at most {@code router.max_retry_after_wait}, and leaving at least as long
   * again before the request's deadline for the answer itself.
   */
  private boolean worthWaiting(Duration retryAfter) {
    return retryAfter.compareTo(router.config().maxRetryAfterWait()) <= 0
        && System.nanoTime() + 2 * retryAfter.toNanos() - deadline <= 0;
  }

  private @Nullable Try retryOrMoveOn(Deployment d, UpstreamException e) {
    if (tries <= d.retries()) {
      Duration wait = e.retryAfter().orElseGet(() -> Backoff.delay(tries));
      Duration longest = MAX_RETRY_WAIT.compareTo(router.config().maxRetryAfterWait()) >= 0
          ? MAX_RETRY_WAIT : router.config().maxRetryAfterWait();
      if (wait.compareTo(longest) <= 0 && System.nanoTime() + wait.toNanos() - deadline < 0) {
        emit(new BatonEvent.Retrying(id, d.id(), tries, wait, e));
        sleep(wait);
        long now = System.nanoTime();
        Circuit.Permit permit = d.atLimit(promptTokens, now) ? null : d.circuit().acquire(now);
        if (permit != null && permit.granted()) {
          tries++;
          return start(d, permit);
        }
      }
    }
    return moveOn(e);
  }

  private @Nullable Try moveOn(UpstreamException e) {
    groupFailure = e;
    current = null;
    return null;
  }

  private @Nullable Try endGroup(UpstreamException e) {
    remaining.clear();
    return moveOn(e);
  }

  private Try advance() {
    while (true) {
      long now = System.nanoTime();
      if (now - deadline >= 0) {
        if (lastFailure == null || !(lastFailure instanceof UpstreamTimeoutException)) {
          lastFailure = deadlineReached();
        }
        throw exhausted();
      }
      while (!remaining.isEmpty()) {
        Deployment d = remaining.poll();
        if (d.tooLargeFor(promptTokens)) {
          tooLarge(d);
          continue;
        }
        if (d.atLimit(promptTokens, now)) {
          atLimit(d, now);
          continue;
        }
        Circuit.Permit permit = d.circuit().acquire(now);
        if (permit.granted()) {
          tries = 1;
          return start(d, permit);
        }
        skipped(d, permit, now);
      }
      if (currentModel != null) {
        for (String next : fallbacksFor(currentModel, groupFailure)) {
          if (planned.add(next)) {
            pending.add(next);
          }
        }
      }
      String next = pending.poll();
      if (next == null) {
        throw exhausted();
      }
      if (currentModel != null) {
        emit(new BatonEvent.FallingBack(id, currentModel, next, groupFailure));
      }
      currentModel = next;
      groupFailure = null;
      remaining.addAll(router.strategy().order(router.group(next)));
    }
  }

  /**
   * Where to go when {@code model} has failed with {@code cause}: the context-window or content-policy
   * list for those errors, else this request's own list (for its primary model only), else the model's
   * configured fallbacks, else the default fallbacks.
   */
  private List<String> fallbacksFor(String model, @Nullable UpstreamException cause) {
    var config = router.config();
    if (cause instanceof ContextWindowExceededException) {
      List<String> contextWindow = config.contextWindowFallbacks().get(model);
      if (contextWindow != null) {
        return contextWindow;
      }
    }
    if (cause instanceof ContentPolicyException) {
      return config.contentPolicyFallbacks().getOrDefault(model, List.of());
    }
    if (requestFallbacks != null) {
      return model.equals(primary) ? requestFallbacks : List.of();
    }
    return config.fallbacks().getOrDefault(model, config.defaultFallbacks());
  }

  private boolean hasAlternative(UpstreamException cause) {
    long now = System.nanoTime();
    for (Deployment d : remaining) {
      if (d.circuit().available(now)) {
        return true;
      }
    }
    for (String model : pending) {
      if (anyAvailable(model, now)) {
        return true;
      }
    }
    if (currentModel != null) {
      for (String model : fallbacksFor(currentModel, cause)) {
        if (!planned.contains(model) && anyAvailable(model, now)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean anyAvailable(String model, long now) {
    for (Deployment d : router.group(model)) {
      if (d.circuit().available(now)) {
        return true;
      }
    }
    return false;
  }

  private Try start(Deployment d, Circuit.Permit permit) {
    current = d;
    d.countRequest(promptTokens, System.nanoTime());
    emit(new BatonEvent.AttemptStarted(id, d.name(), d.id(), d.providerName()));
    Call call = d.newCall(deadline);
    return new Try(d, permit, call, trace.attempt(d.name(), d.id(), d.providerName(), d.upstreamModel(), call));
  }

  /**
   * The next candidate to start beside the attempt in flight (hedging), as the route would move on if
   * that attempt failed — but without a failure: the next deployment of the group, else the model's
   * ordinary fallbacks. Null when there is nothing else to try.
   */
  @Nullable Try hedge() {
    if (!hasAlternative(null)) {
      return null;
    }
    groupFailure = null;
    try {
      return advance();
    } catch (BatonException nothingAvailable) {
      return null;
    }
  }

  /** The attempt produced (the start of) an answer: the deployment is healthy. */
  void answered(Try attempt) {
    attempt.trace().answering();
    attempt.deployment().circuit().succeeded(attempt.permit());
    attempt.deployment().recordLatency(System.nanoTime() - attempt.call().started());
  }

  /** The attempt's answer is complete. */
  void succeeded(Try attempt) {
    record(attempt, Outcome.SUCCEEDED, null);
  }

  /** The attempt failed; {@link #next()} decides what follows. */
  void failed(Try attempt, UpstreamException e) {
    Deployment d = attempt.deployment();
    switch (e) {
      // The deployment answered; the request was the problem. Its health is not in question.
      case BadRequestException ignored -> d.circuit().succeeded(attempt.permit());
      case ContextWindowExceededException ignored -> d.circuit().succeeded(attempt.permit());
      case ContentPolicyException ignored -> d.circuit().succeeded(attempt.permit());
      // Nothing was sent: the request needs something this provider lacks.
      case UnsupportedRequestException ignored -> d.circuit().released(attempt.permit());
      case UpstreamTimeoutException t when t.phase() == Phase.DEADLINE -> d.circuit().released(attempt.permit());
      default -> d.circuit().failed(attempt.permit(), e, System.nanoTime());
    }
    record(attempt, Outcome.FAILED, e);
    lastFailure = e;
    toHandle = e;
    current = d;
  }

  /**
   * The deployment refused a prefilled continuation, or answered it in a way that cannot be joined: it
   * is recorded, and the next attempt goes to the same deployment again, asked another way, not counted
   * as a retry. The deployment answered, so its health is not in question.
   */
  void continueAnotherWay(Try attempt, UpstreamException e) {
    attempt.deployment().circuit().succeeded(attempt.permit());
    record(attempt, Outcome.FAILED, e);
    again = attempt.deployment();
  }

  /**
   * The deployment refused Baton's request to continue an answer, or answered it in a way that cannot
   * be joined to the text already sent. It is healthy, and retrying it would get the same: the route
   * moves on at once.
   */
  void continuationRefused(Try attempt, UpstreamException e) {
    attempt.deployment().circuit().succeeded(attempt.permit());
    record(attempt, Outcome.FAILED, e);
    lastFailure = e;
    current = attempt.deployment();
    moveOn(e);
  }

  /** The attempt was abandoned; it says nothing about the deployment's health. */
  void cancelled(Try attempt) {
    attempt.deployment().circuit().released(attempt.permit());
    record(attempt, Outcome.CANCELLED, null);
  }

  private void record(Try attempt, Outcome outcome, @Nullable UpstreamException error) {
    Deployment d = attempt.deployment();
    Attempt a = new Attempt(d.name(), d.id(), d.providerName(), d.upstreamModel(), outcome, error,
        Duration.ofNanos(System.nanoTime() - attempt.call().started()));
    attempts.add(a);
    emit(new BatonEvent.AttemptFinished(id, a));
    attempt.trace().ended(a);
  }

  private void skipped(Deployment d, Circuit.Permit permit, long now) {
    skippedAny = true;
    skippedOnlyRateLimited &= permit.rateLimited();
    earliestReopen = Math.min(earliestReopen, permit.until());
    Attempt a = new Attempt(d.name(), d.id(), d.providerName(), d.upstreamModel(), Outcome.SKIPPED, null, Duration.ZERO);
    attempts.add(a);
    emit(new BatonEvent.AttemptFinished(id, a));
  }

  /**
   * The pre-call context check: a prompt estimated larger than the deployment's {@code max_input_tokens}
   * goes to the context-window fallbacks without a doomed upstream call.
   */
  private void tooLarge(Deployment d) {
    var e = new ContextWindowExceededException(UpstreamException.Source.of(d.id(), d.providerName()),
        "the prompt, about " + promptTokens + " tokens, exceeds the deployment's max_input_tokens of "
            + d.config().maxInputTokens() + " (not sent)");
    Attempt a = new Attempt(d.name(), d.id(), d.providerName(), d.upstreamModel(), Outcome.SKIPPED, e, Duration.ZERO);
    attempts.add(a);
    emit(new BatonEvent.AttemptFinished(id, a));
    groupFailure = e;
    lastFailure = e;
  }

  private void atLimit(Deployment d, long now) {
    skippedAny = true;
    earliestReopen = Math.min(earliestReopen, d.limitsFreeAt(now));
    var e = new RateLimitedException(UpstreamException.Source.of(d.id(), d.providerName()),
        "at its own rpm/tpm limit (not sent)");
    Attempt a = new Attempt(d.name(), d.id(), d.providerName(), d.upstreamModel(), Outcome.SKIPPED, e, Duration.ZERO);
    attempts.add(a);
    emit(new BatonEvent.AttemptFinished(id, a));
  }

  private BatonException finish(UpstreamException e) {
    return e.withAttempts(attempts);
  }

  private BatonException exhausted() {
    long now = System.nanoTime();
    UpstreamException last = lastFailure;
    if (last == null) {
      Duration wait = Duration.ofNanos(Math.max(earliestReopen - now, 0));
      return new NoDeploymentAvailableException("No deployment of " + plannedModels()
          + " can take a request now: every one is cooling down; the first reopens in "
          + seconds(wait) + "s", roundUp(wait), skippedOnlyRateLimited).withAttempts(attempts);
    }
    Duration retryAfter = null;
    if (last instanceof RateLimitedException) {
      retryAfter = last.retryAfter().orElse(
          skippedAny && earliestReopen != Long.MAX_VALUE ? roundUp(Duration.ofNanos(earliestReopen - now)) : null);
    }
    return new AllModelsFailedException(summary(), last, retryAfter, attempts);
  }

  private UpstreamTimeoutException deadlineReached() {
    Deployment d = current;
    var source = d == null
        ? UpstreamException.Source.of(primary, "router")
        : UpstreamException.Source.of(d.id(), d.providerName());
    return new UpstreamTimeoutException(source, Phase.DEADLINE, "the request's deadline was reached (router.timeout)");
  }

  /** Names every model tried and why each failed, for the message of an exhausted request. */
  private String summary() {
    StringBuilder text = new StringBuilder("Every model failed for '").append(primary).append("': ");
    int i = 0;
    boolean first = true;
    while (i < attempts.size()) {
      Attempt a = attempts.get(i);
      int j = i;
      while (j + 1 < attempts.size() && attempts.get(j + 1).deployment().equals(a.deployment())
          && attempts.get(j + 1).outcome() == a.outcome()) {
        j++;
      }
      Attempt last = attempts.get(j);
      if (!first) {
        text.append("; ");
      }
      first = false;
      text.append(a.deployment()).append(" (").append(a.provider()).append('/').append(a.upstreamModel()).append("): ");
      int count = j - i + 1;
      switch (a.outcome()) {
        case FAILED -> {
          if (count > 1) {
            text.append(count).append(" attempts, last: ");
          }
          text.append(last.error() == null ? "failed" : last.error().getMessage());
        }
        case SKIPPED -> text.append(last.reason());
        case CANCELLED -> text.append("cancelled");
        case SUCCEEDED -> text.append("answered, then broke off");
      }
      i = j + 1;
    }
    return text.toString();
  }

  private String plannedModels() {
    return String.join(", ", planned);
  }

  private static Duration roundUp(Duration d) {
    long seconds = (d.toMillis() + 999) / 1000;
    return Duration.ofSeconds(Math.max(1, seconds));
  }

  private static long seconds(Duration d) {
    return roundUp(d).toSeconds();
  }

  private static void sleep(Duration wait) {
    if (wait.isZero() || wait.isNegative()) {
      return;
    }
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting to retry");
    }
  }
}
