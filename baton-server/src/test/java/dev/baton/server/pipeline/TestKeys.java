package dev.baton.server.pipeline;

import dev.baton.store.ApiKey;
import dev.baton.store.BudgetPeriod;
import dev.baton.store.Limits;
import dev.baton.store.Team;
import dev.baton.store.keys.KeyContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Virtual keys and teams for filter tests, as the store would hand them over. */
final class TestKeys {

  static final Instant CREATED = Instant.parse("2026-12-01T00:00:00Z");

  private TestKeys() {}

  static Limits limits(List<String> models, @Nullable Long rpm, @Nullable Long tpm, @Nullable Double budgetUsd) {
    return new Limits(models, rpm, tpm, budgetUsd, null);
  }

  static Limits budgetPer(double budgetUsd, String period) {
    return new Limits(List.of(), null, null, budgetUsd, BudgetPeriod.parse(period));
  }

  static KeyContext key(String id, Limits limits) {
    return new KeyContext(apiKey(id, null, limits), null);
  }

  static KeyContext key(String id, Limits limits, Team team) {
    return new KeyContext(apiKey(id, team.id(), limits), team);
  }

  static Team team(String id, Limits limits) {
    return new Team(id, "team " + id, limits, Map.of(), false, CREATED, CREATED);
  }

  private static ApiKey apiKey(String id, @Nullable String teamId, Limits limits) {
    return new ApiKey(id, "key " + id, "hash-of-" + id, "sk-baton-Xy", teamId, limits, Map.of(), false, null, CREATED,
        CREATED, null);
  }
}
