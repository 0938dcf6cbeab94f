package dev.baton.store.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.store.ApiKey;
import dev.baton.store.BudgetPeriod;
import dev.baton.store.Limits;
import dev.baton.store.Refusal;
import dev.baton.store.Team;
import dev.baton.store.keys.KeyContext;
import dev.baton.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnforcerTest {

  static final Instant CREATED = Instant.parse("2026-12-01T09:30:00Z");

  final ManualClock clock = new ManualClock(CREATED.plusSeconds(3600));
  final Enforcer enforcer = new Enforcer(new LocalCounters(), clock);

  @Test
  void aModelOutsideTheKeysListIsRefusedWith403NamingTheKey() {
    KeyContext key = key(limits(List.of("smart"), null, null, null, null), null);

    Refusal r = refused(enforcer.admit(key, "fast"));

    assertThat(r.status()).isEqualTo(403);
    assertThat(r.code()).isEqualTo("model_not_allowed");
    assertThat(r.param()).isEqualTo("model");
    assertThat(r.message()).isEqualTo("This key may not use the model 'fast': it is not in the models allowed for "
        + "key 'app' (key_1).");
    assertThat(enforcer.admit(key, "smart")).isInstanceOf(Admission.Admitted.class);
  }

  @Test
  void aModelOutsideTheTeamsListIsRefusedNamingTheTeam() {
    KeyContext key = key(Limits.NONE, team(limits(List.of("smart"), null, null, null, null)));

    assertThat(refused(enforcer.admit(key, "fast")).message()).endsWith("allowed for team 'search' (team_1).");
  }

  @Test
  void theModelsAKeyMayUseAreThoseBothItAndItsTeamAllow() {
    KeyContext key = key(limits(List.of("smart", "fast"), null, null, null, null),
        team(limits(List.of("fast", "local"), null, null, null, null)));

    assertThat(key.allowedModels(List.of("smart", "fast", "local", "other"))).containsExactly("fast");
    assertThat(key(Limits.NONE, null).allowedModels(List.of("smart", "fast"))).containsExactly("smart", "fast");
  }

  @Test
  void theEffectiveLimitsAreTheStricterOfKeyAndTeam() {
    KeyContext key = key(limits(List.of(), 100L, 5_000L, 20.0, "1d"), team(limits(List.of("fast"), 30L, null, 50.0, "30d")));

    Limits effective = key.effectiveLimits();

    assertThat(effective.models()).containsExactly("fast");
    assertThat(effective.rpm()).isEqualTo(30L);
    assertThat(effective.tpm()).isEqualTo(5_000L);
    assertThat(effective.maxBudgetUsd()).isEqualTo(20.0);
    assertThat(effective.budgetDuration().text()).isEqualTo("1d");
  }

  @Test
  void theRequestAfterTheRpmLimitIsRefusedUntilTheOldestLeavesTheWindow() {
    KeyContext key = key(limits(List.of(), 3L, null, null, null), null);
    admitted(enforcer.admit(key, "smart"));
    clock.advance(Duration.ofSeconds(20));
    admitted(enforcer.admit(key, "smart"));
    admitted(enforcer.admit(key, "smart"));
    clock.advance(Duration.ofSeconds(10));

    Refusal r = refused(enforcer.admit(key, "smart"));

    assertThat(r.status()).isEqualTo(429);
    assertThat(r.code()).isEqualTo("rate_limit_exceeded");
    assertThat(r.message()).isEqualTo("Rate limit reached for key 'app' (key_1): 3 requests per minute. Try again in 30 s.");
    assertThat(r.headers()).containsEntry("retry-after", "30")
        .containsEntry("x-ratelimit-limit-requests", "3")
        .containsEntry("x-ratelimit-remaining-requests", "0");
    clock.advance(Duration.ofSeconds(30));
    assertThat(enforcer.admit(key, "smart")).as("the first request left the window").isInstanceOf(Admission.Admitted.class);
    assertThat(enforcer.admit(key, "smart")).as("the other two are still in it").isInstanceOf(Admission.Refused.class);
  }

  @Test
  void everyAnswerOfAKeyWithLimitsCarriesTheRateLimitHeaders() {
    KeyContext key = key(limits(List.of(), 10L, 1000L, null, null), null);

    Permit first = admitted(enforcer.admit(key, "smart"));
    first.complete(100, 50, 0);
    Permit second = admitted(enforcer.admit(key, "smart"));

    assertThat(first.headers()).containsExactly(
        Map.entry("x-ratelimit-limit-requests", "10"), Map.entry("x-ratelimit-remaining-requests", "9"),
        Map.entry("x-ratelimit-reset-requests", "1m0s"), Map.entry("x-ratelimit-limit-tokens", "1000"),
        Map.entry("x-ratelimit-remaining-tokens", "1000"), Map.entry("x-ratelimit-reset-tokens", "0s"));
    assertThat(second.headers()).containsEntry("x-ratelimit-remaining-requests", "8")
        .containsEntry("x-ratelimit-remaining-tokens", "850");
  }

  @Test
  void aKeyWithoutRateLimitsGetsNoRateLimitHeaders() {
    assertThat(admitted(enforcer.admit(key(Limits.NONE, null), "smart")).headers()).isEmpty();
  }

  @Test
  void aTeamsRpmIsSharedByItsKeysAndARefusedRequestDoesNotUseTheKeysAllowance() {
    Team team = team(limits(List.of(), 2L, null, null, null));
    KeyContext a = key("key_a", limits(List.of(), 2L, null, null, null), team);
    KeyContext b = key("key_b", Limits.NONE, team);
    admitted(enforcer.admit(b, "smart"));
    clock.advance(Duration.ofSeconds(30));
    admitted(enforcer.admit(a, "smart"));
    clock.advance(Duration.ofSeconds(1));

    Refusal r = refused(enforcer.admit(a, "smart"));

    assertThat(r.message()).startsWith("Rate limit reached for team 'search' (team_1): 2 requests per minute.");
    assertThat(r.headers()).containsEntry("retry-after", "29");
    clock.advance(Duration.ofSeconds(29));
    assertThat(enforcer.admit(a, "smart")).as("b's request left the team's window, and key a has used 1 of its 2: "
        + "the refused request was not counted against it").isInstanceOf(Admission.Admitted.class);
  }

  @Test
  void tokensAreCountedWhenTheRequestEndsAndRefuseOnceTheTpmIsUsed() {
    KeyContext key = key(limits(List.of(), null, 1_000L, null, null), null);
    admitted(enforcer.admit(key, "smart")).complete(600, 300, 0);
    admitted(enforcer.admit(key, "smart")).complete(80, 20, 0);
    clock.advance(Duration.ofSeconds(15));

    Refusal r = refused(enforcer.admit(key, "smart"));

    assertThat(r.message()).isEqualTo("Rate limit reached for key 'app' (key_1): 1000 tokens per minute. Try again in 45 s.");
    assertThat(r.headers()).containsEntry("x-ratelimit-remaining-tokens", "0").containsEntry("retry-after", "45");
    clock.advance(Duration.ofSeconds(45));
    admitted(enforcer.admit(key, "smart"));
  }

  @Test
  void theRequestAfterTheOneThatCrossedTheBudgetIsRefusedNamingSpendLimitAndReset() {
    KeyContext key = key(limits(List.of(), null, null, 1.0, "1d"), null);
    Permit p1 = admitted(enforcer.admit(key, "smart"));
    Permit p2 = admitted(enforcer.admit(key, "smart"));
    assertThat(p1.complete(10, 10, 0.6)).isFalse();
    assertThat(p2.complete(10, 10, 0.6)).as("this one crossed it").isTrue();

    Refusal r = refused(enforcer.admit(key, "smart"));

    assertThat(r.status()).isEqualTo(429);
    assertThat(r.type()).isEqualTo("insufficient_quota");
    assertThat(r.code()).isEqualTo("budget_exceeded");
    assertThat(r.headers()).containsEntry("x-should-retry", "false");
    assertThat(r.message()).isEqualTo("Budget exceeded for key 'app' (key_1): spent $1.2000 of its $1.0000 budget; "
        + "it resets at 2026-12-02T09:30:00Z.");
  }

  @Test
  void aBudgetRestartsWhenItsPeriodEndsWithoutWaiting() {
    KeyContext key = key(limits(List.of(), null, null, 1.0, "1d"), null);
    admitted(enforcer.admit(key, "smart")).complete(10, 10, 1.5);
    assertThat(enforcer.admit(key, "smart")).isInstanceOf(Admission.Refused.class);

    clock.set(Instant.parse("2026-12-02T09:29:59Z"));
    assertThat(enforcer.admit(key, "smart")).as("one second before the period ends").isInstanceOf(Admission.Refused.class);
    clock.set(Instant.parse("2026-12-02T09:30:00Z"));

    assertThat(enforcer.admit(key, "smart")).isInstanceOf(Admission.Admitted.class);
    assertThat(enforcer.spendUsd(key.key())).isZero();
    assertThat(enforcer.resetsAt(key.key().limits(), CREATED)).isEqualTo(Instant.parse("2026-12-03T09:30:00Z"));
  }

  @Test
  void aBudgetWithoutAPeriodNeverResets() {
    KeyContext key = key(limits(List.of(), null, null, 0.5, null), null);
    admitted(enforcer.admit(key, "smart")).complete(1, 1, 0.5);
    clock.advance(Duration.ofDays(400));

    Refusal r = refused(enforcer.admit(key, "smart"));

    assertThat(r.message()).endsWith("spent $0.5000 of its $0.5000 budget; it does not reset (no budget_duration).");
  }

  @Test
  void theTeamsBudgetIsSharedAndNamedWhenItIsTheOneSpent() {
    Team team = team(limits(List.of(), null, null, 1.0, "30d"));
    KeyContext a = key("key_a", Limits.NONE, team);
    KeyContext b = key("key_b", limits(List.of(), null, null, 100.0, null), team);
    admitted(enforcer.admit(a, "smart")).complete(1, 1, 0.7);
    admitted(enforcer.admit(b, "smart")).complete(1, 1, 0.7);

    Refusal r = refused(enforcer.admit(a, "smart"));

    assertThat(r.message()).isEqualTo("Budget exceeded for team 'search' (team_1): spent $1.4000 of its $1.0000 budget; "
        + "it resets at 2026-12-31T09:30:00Z.");
    assertThat(enforcer.spendUsd(b.key())).isEqualTo(0.7);
    assertThat(enforcer.spendUsd(team)).isEqualTo(1.4);
  }

  @Test
  void aZeroBudgetRefusesEveryRequest() {
    KeyContext key = key(limits(List.of(), null, null, 0.0, null), null);

    assertThat(refused(enforcer.admit(key, "smart")).code()).isEqualTo("budget_exceeded");
  }

  @Test
  void completingAPermitTwiceCountsItOnce() {
    KeyContext key = key(limits(List.of(), null, null, 10.0, null), null);
    Permit p = admitted(enforcer.admit(key, "smart"));

    p.complete(1, 1, 1.0);
    p.complete(1, 1, 1.0);

    assertThat(enforcer.spendUsd(key.key())).isEqualTo(1.0);
  }

  @Test
  void resetsAreWrittenAsOpenAiWritesThem() {
    assertThat(Enforcer.formatReset(Duration.ofMillis(200))).isEqualTo("1s");
    assertThat(Enforcer.formatReset(Duration.ofSeconds(59))).isEqualTo("59s");
    assertThat(Enforcer.formatReset(Duration.ofSeconds(360))).isEqualTo("6m0s");
  }

  static Limits limits(List<String> models, Long rpm, Long tpm, Double budget, String duration) {
    return new Limits(models, rpm, tpm, budget, duration == null ? null : BudgetPeriod.parse(duration));
  }

  static KeyContext key(Limits limits, Team team) {
    return key("key_1", limits, team);
  }

  static KeyContext key(String id, Limits limits, Team team) {
    return new KeyContext(new ApiKey(id, "app", "hash-" + id, "sk-baton-abcd", team == null ? null : team.id(), limits,
        Map.of(), false, null, CREATED, CREATED, null), team);
  }

  static Team team(Limits limits) {
    return new Team("team_1", "search", limits, Map.of(), false, CREATED, CREATED);
  }

  static Permit admitted(Admission a) {
    assertThat(a).as("admitted").isInstanceOf(Admission.Admitted.class);
    return ((Admission.Admitted) a).permit();
  }

  static Refusal refused(Admission a) {
    assertThat(a).as("refused").isInstanceOf(Admission.Refused.class);
    return ((Admission.Refused) a).refusal();
  }
}
