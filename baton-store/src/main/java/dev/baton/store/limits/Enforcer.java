package dev.baton.store.limits;

import dev.baton.store.ApiKey;
import dev.baton.store.BudgetPeriod;
import dev.baton.store.Limits;
import dev.baton.store.Refusal;
import dev.baton.store.Store;
import dev.baton.store.Team;
import dev.baton.store.keys.KeyContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decides a virtual key's request from in-memory counters, never waiting on the database (contract
 * section 7). In order: the model allow-list (403), the key's and then the team's budget (429
 * {@code budget_exceeded}), their token windows, their request windows (429 {@code rate_limit_exceeded}).
 * An admitted request is counted in the request windows at once; its tokens and cost are counted when its
 * {@link Permit} completes.
 *
 * <p><b>How far a budget can be overshot.</b> A request is admitted while the spend counted so far is
 * under the budget; its cost is known only when it ends. So the request whose cost crosses the budget is
 * answered, every request admitted after it is refused, and the requests already in flight when it
 * crossed finish and are counted too. The overshoot is therefore at most the cost of the crossing request
 * plus that of the requests in flight at that moment — with 200 concurrent requests of one key, at most
 * 200 requests' cost, and in practice about the concurrency times the average request's cost.
 *
 * <p>Budgets restart each {@code budget_duration}, counted from the key's or team's creation (see
 * {@link BudgetPeriod}); the counters are keyed by the period's start, so a new period simply starts from
 * zero — no timer, and the injected {@link Clock} decides when.
 */
public final class Enforcer {

  static final long NANOS_PER_USD = 1_000_000_000L;

  private final LimitCounters counters;
  private final Clock clock;

  public Enforcer(LimitCounters counters, Clock clock) {
    this.counters = counters;
    this.clock = clock;
  }

  /** Checks and counts a request of {@code key} for the public model name {@code model}. */
  public Admission admit(KeyContext key, String model) {
    if (!key.allows(model)) {
      return new Admission.Refused(Refusal.modelNotAllowed(model, key.refuserOf(model)));
    }
    Instant now = clock.instant();
    ApiKey k = key.key();
    Team team = key.team();
    Refusal refusal = budget(keyScope(k.id()), k.limits(), k.createdAt(), key.describeKey(), now);
    if (refusal == null && team != null) {
      refusal = budget(teamScope(team.id()), team.limits(), team.createdAt(), key.describeTeam(), now);
    }
    if (refusal != null) {
      return new Admission.Refused(refusal);
    }
    WindowState keyTokens = k.limits().tpm() == null ? null : counters.tokens(keyScope(k.id()), k.limits().tpm(), now);
    WindowState teamTokens = team == null || team.limits().tpm() == null ? null
        : counters.tokens(teamScope(team.id()), team.limits().tpm(), now);
    WindowState tokens = tighter(keyTokens, teamTokens);
    if (keyTokens != null && !keyTokens.admitted()) {
      return refuseForRate("tokens", keyTokens, key.describeKey(), key, now, tokens);
    }
    if (teamTokens != null && !teamTokens.admitted()) {
      return refuseForRate("tokens", teamTokens, key.describeTeam(), key, now, tokens);
    }
    WindowState keyRequests = null;
    if (k.limits().rpm() != null) {
      keyRequests = counters.admitRequest(keyScope(k.id()), k.limits().rpm(), now);
      if (!keyRequests.admitted()) {
        return refuseForRate("requests", keyRequests, key.describeKey(), key, now, tokens);
      }
    }
    WindowState teamRequests = null;
    if (team != null && team.limits().rpm() != null) {
      teamRequests = counters.admitRequest(teamScope(team.id()), team.limits().rpm(), now);
      if (!teamRequests.admitted()) {
        if (keyRequests != null) {
          counters.releaseRequest(keyScope(k.id()), now);
        }
        return refuseForRate("requests", teamRequests, key.describeTeam(), key, now, tokens);
      }
    }
    Map<String, String> headers = key.hasRateLimits() ? headers(tighter(keyRequests, teamRequests), tokens) : Map.of();
    return new Admission.Admitted(new Permit(this, key, headers));
  }

  /** Counts a finished request; true when it took a budget from under its limit to at or over it. */
  boolean record(KeyContext key, long tokens, double costUsd) {
    Instant now = clock.instant();
    ApiKey k = key.key();
    Team team = key.team();
    if (k.limits().tpm() != null) {
      counters.addTokens(keyScope(k.id()), tokens, now);
    }
    if (team != null && team.limits().tpm() != null) {
      counters.addTokens(teamScope(team.id()), tokens, now);
    }
    long nanos = Math.round(costUsd * NANOS_PER_USD);
    if (nanos <= 0) {
      return false;
    }
    boolean crossed = addSpend(keyScope(k.id()), k.limits(), k.createdAt(), nanos, now);
    if (team != null) {
      crossed |= addSpend(teamScope(team.id()), team.limits(), team.createdAt(), nanos, now);
    }
    return crossed;
  }

  /** What a key has spent in its current budget period (all time without a {@code budget_duration}), in USD. */
  public double spendUsd(ApiKey key) {
    return counters.spend(keyScope(key.id()), periodStart(key.limits(), key.createdAt(), clock.instant()))
        / (double) NANOS_PER_USD;
  }

  /** What a team has spent in its current budget period (all time without a {@code budget_duration}), in USD. */
  public double spendUsd(Team team) {
    return counters.spend(teamScope(team.id()), periodStart(team.limits(), team.createdAt(), clock.instant()))
        / (double) NANOS_PER_USD;
  }

  /** When a budget with a period next restarts; null without a {@code budget_duration}. */
  public @Nullable Instant resetsAt(Limits limits, Instant anchor) {
    BudgetPeriod period = limits.budgetDuration();
    return period == null ? null : period.resetsAt(anchor, clock.instant());
  }

  /**
   * Seeds the spend counters of these keys and teams from the database: their spend in the current
   * period (all time without a period). Called at start, and after a key's or team's budget changed.
   */
  public void seed(Store store, Collection<ApiKey> keys, Collection<Team> teams) {
    Instant now = clock.instant();
    Map<String, Double> keyTotals = store.spendByKey(Instant.EPOCH);
    Map<String, Double> teamTotals = store.spendByTeam(Instant.EPOCH);
    for (ApiKey k : keys) {
      Instant start = periodStart(k.limits(), k.createdAt(), now);
      double usd = start.equals(Instant.EPOCH) ? keyTotals.getOrDefault(k.id(), 0.0) : store.spendOf(k.id(), false, start);
      counters.seedSpend(keyScope(k.id()), start, Math.round(usd * NANOS_PER_USD));
    }
    for (Team t : teams) {
      Instant start = periodStart(t.limits(), t.createdAt(), now);
      double usd = start.equals(Instant.EPOCH) ? teamTotals.getOrDefault(t.id(), 0.0) : store.spendOf(t.id(), true, start);
      counters.seedSpend(teamScope(t.id()), start, Math.round(usd * NANOS_PER_USD));
    }
  }

  private @Nullable Refusal budget(String scope, Limits limits, Instant anchor, String owner, Instant now) {
    Double max = limits.maxBudgetUsd();
    if (max == null) {
      return null;
    }
    long spent = counters.spend(scope, periodStart(limits, anchor, now));
    if (spent < Math.round(max * NANOS_PER_USD)) {
      return null;
    }
    BudgetPeriod period = limits.budgetDuration();
    return Refusal.budgetExceeded(owner, spent / (double) NANOS_PER_USD, max,
        period == null ? null : period.resetsAt(anchor, now));
  }

  private boolean addSpend(String scope, Limits limits, Instant anchor, long nanos, Instant now) {
    long total = counters.addSpend(scope, periodStart(limits, anchor, now), nanos);
    Double max = limits.maxBudgetUsd();
    if (max == null) {
      return false;
    }
    long limit = Math.round(max * NANOS_PER_USD);
    return total >= limit && total - nanos < limit;
  }

  private static Instant periodStart(Limits limits, Instant anchor, Instant now) {
    BudgetPeriod period = limits.budgetDuration();
    return period == null ? Instant.EPOCH : period.periodStart(anchor, now);
  }

  private Admission refuseForRate(String what, WindowState window, String owner, KeyContext key, Instant now,
      @Nullable WindowState tokens) {
    WindowState requests = tighter(
        key.key().limits().rpm() == null ? null : counters.requests(keyScope(key.keyId()), key.key().limits().rpm(), now),
        key.team() == null || key.team().limits().rpm() == null ? null
            : counters.requests(teamScope(key.team().id()), key.team().limits().rpm(), now));
    WindowState shownRequests = what.equals("requests") ? window : requests;
    WindowState shownTokens = what.equals("tokens") ? window : tokens;
    return new Admission.Refused(Refusal.rateLimited(what, window.limit(), owner, window.resetIn(),
        headers(shownRequests, shownTokens)));
  }

  private static Map<String, String> headers(@Nullable WindowState requests, @Nullable WindowState tokens) {
    Map<String, String> h = new LinkedHashMap<>();
    if (requests != null) {
      h.put("x-ratelimit-limit-requests", Long.toString(requests.limit()));
      h.put("x-ratelimit-remaining-requests", Long.toString(requests.remaining()));
      h.put("x-ratelimit-reset-requests", formatReset(requests.resetIn()));
    }
    if (tokens != null) {
      h.put("x-ratelimit-limit-tokens", Long.toString(tokens.limit()));
      h.put("x-ratelimit-remaining-tokens", Long.toString(tokens.remaining()));
      h.put("x-ratelimit-reset-tokens", formatReset(tokens.resetIn()));
    }
    return h;
  }

  /** As OpenAI writes it: {@code 12s}, {@code 1m0s}. */
  static String formatReset(Duration d) {
    long seconds = Math.max(0, (d.toMillis() + 999) / 1000);
    return seconds >= 60 ? seconds / 60 + "m" + seconds % 60 + "s" : seconds + "s";
  }

  /** The window with less room left; either may be absent. */
  private static @Nullable WindowState tighter(@Nullable WindowState a, @Nullable WindowState b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return b.remaining() < a.remaining() ? b : a;
  }

  /**
   * A key's counters are named by its id: key ids ({@code key_…}) and team ids ({@code team_…}) never
   * collide, so no name has to be built per request.
   */
  static String keyScope(String keyId) {
    return keyId;
  }

  static String teamScope(String teamId) {
    return teamId;
  }
}
