package dev.baton.server.pipeline;

import dev.baton.ChatRequest;
import dev.baton.CompletionRequest;
import dev.baton.Usage;
import dev.baton.store.Refusal;
import dev.baton.store.keys.KeyContext;
import dev.baton.store.limits.Admission;
import dev.baton.store.limits.Permit;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A virtual key's limits and budget, once the front door has read which model it asks for: 403
 * {@code model_not_allowed} for a model outside its (or its team's) {@code models}, 429
 * {@code budget_exceeded} when its or its team's budget is spent, 429 {@code rate_limit_exceeded} with
 * {@code Retry-After} over {@code rpm}/{@code tpm}. Decided from in-memory counters, never waiting on the
 * database. An admitted request's answer carries the {@code x-ratelimit-*} headers of a key with limits —
 * set before the door answers, so errors and streams carry them too — and, once it is over, its tokens and
 * cost are counted against the key's and team's windows and budgets.
 *
 * <p>The allow-list is about what a caller asks for: a request may not name a model outside it in its own
 * {@code fallbacks} either (403, {@code param: fallbacks}), while the fallbacks the gateway's configuration
 * gives a model answer for it as they would for anyone.
 *
 * <p>The master key and an open gateway's callers pass untouched, and so do routes without a model
 * ({@code GET /v1/models}, which lists only what the key may use).
 */
public final class KeyLimits implements Filter {

  /** Checks and counts a key's request for a public model name: {@code KeyPlatform::admit}. */
  @FunctionalInterface
  public interface Admissions {
    Admission admit(KeyContext key, String model);
  }

  /** The {@code x-ratelimit-*} names, made once rather than per answer. */
  private static final ConcurrentHashMap<String, HeaderName> NAMES = new ConcurrentHashMap<>();

  private final Admissions admissions;
  private final Costs costs;

  public KeyLimits(Admissions admissions, Costs costs) {
    this.admissions = admissions;
    this.costs = costs;
  }

  @Override
  public void handle(Exchange exchange, Chain chain) {
    String model = exchange.model();
    if (!(exchange.caller() instanceof VirtualKeyCaller caller) || model == null) {
      chain.proceed();
      return;
    }
    refuseFallbacksNotAllowed(caller.key(), exchange.request());
    Permit permit = switch (admissions.admit(caller.key(), model)) {
      case Admission.Refused refused -> throw GatewayError.of(refused.refusal());
      case Admission.Admitted admitted -> admitted.permit();
    };
    HttpCall http = exchange.http();
    permit.headers().forEach((name, value) ->
        http.header(HeaderValues.create(NAMES.computeIfAbsent(name, HeaderNames::create), value)));
    // Counted as soon as the door knows the whole answer, before its last bytes reach the caller, so the
    // request after the one that crossed a budget is refused; an answer that never came is counted here.
    Runnable count = new Runnable() {
      private boolean counted;

      @Override
      public void run() {
        if (!counted) {
          counted = true;
          @Nullable Usage used = exchange.usage();
          permit.complete(used == null ? 0 : used.promptTokens(), used == null ? 0 : used.completionTokens(),
              costs.of(exchange));
        }
      }
    };
    exchange.whenAnswered(count);
    try {
      chain.proceed();
    } finally {
      count.run();
    }
  }

  /** A request's own {@code fallbacks} may name only models the key may use: it cannot widen its allow-list. */
  private static void refuseFallbacksNotAllowed(KeyContext key, @Nullable Object request) {
    List<String> fallbacks = switch (request) {
      case ChatRequest chat -> chat.fallbacks();
      case CompletionRequest completion -> completion.fallbacks();
      case null, default -> null;
    };
    if (fallbacks == null) {
      return;
    }
    for (String fallback : fallbacks) {
      if (!key.allows(fallback)) {
        Refusal refusal = Refusal.modelNotAllowed(fallback, key.refuserOf(fallback));
        throw GatewayError.of(new Refusal(refusal.status(), refusal.type(), refusal.code(),
            refusal.message() + " It is named in the request's fallbacks.", "fallbacks", refusal.headers()));
      }
    }
  }
}
