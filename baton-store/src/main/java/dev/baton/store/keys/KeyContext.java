package dev.baton.store.keys;

import dev.baton.store.ApiKey;
import dev.baton.store.Limits;
import dev.baton.store.Team;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An authenticated virtual key with its team: what a request made with it may do. Rate limits and budgets
 * are counted for the key and for its team separately (a team's rpm is shared by all its keys); the
 * model allow-list is the intersection of both.
 */
public record KeyContext(ApiKey key, @Nullable Team team) {

  /** The key's id. */
  public String keyId() {
    return key.id();
  }

  /** Its team's id, or null. */
  public @Nullable String teamId() {
    return team == null ? null : team.id();
  }

  /** True when the key and its team both allow this public model name. */
  public boolean allows(String model) {
    return allowedBy(key.limits(), model) && (team == null || allowedBy(team.limits(), model));
  }

  /** Who refuses a model: {@code key 'name' (id)} or {@code team 'name' (id)}; the key when both do. */
  public String refuserOf(String model) {
    return !allowedBy(key.limits(), model) || team == null ? describeKey() : describeTeam();
  }

  /** The configured public names this key may use, in their order: what {@code GET /v1/models} lists. */
  public List<String> allowedModels(List<String> configured) {
    List<String> out = new ArrayList<>();
    for (String name : configured) {
      if (allows(name)) {
        out.add(name);
      }
    }
    return out;
  }

  /**
   * The stricter of the key's and its team's limits, for display: the intersection of the model lists,
   * the lower rpm, tpm and budget. Enforcement counts each on its own; this is what the key amounts to.
   */
  public Limits effectiveLimits() {
    Limits k = key.limits();
    if (team == null) {
      return k;
    }
    Limits t = team.limits();
    List<String> models;
    if (k.models().isEmpty()) {
      models = t.models();
    } else if (t.models().isEmpty()) {
      models = k.models();
    } else {
      models = k.models().stream().filter(t.models()::contains).toList();
    }
    boolean keyBudget = t.maxBudgetUsd() == null
        || (k.maxBudgetUsd() != null && k.maxBudgetUsd() <= t.maxBudgetUsd());
    return new Limits(models, min(k.rpm(), t.rpm()), min(k.tpm(), t.tpm()),
        keyBudget ? k.maxBudgetUsd() : t.maxBudgetUsd(), keyBudget ? k.budgetDuration() : t.budgetDuration());
  }

  /** True when the key or its team has an rpm or tpm limit: its answers carry {@code x-ratelimit-*}. */
  public boolean hasRateLimits() {
    return key.limits().hasRateLimits() || (team != null && team.limits().hasRateLimits());
  }

  public String describeKey() {
    return "key '" + key.name() + "' (" + key.id() + ")";
  }

  public String describeTeam() {
    return team == null ? "no team" : "team '" + team.name() + "' (" + team.id() + ")";
  }

  private static boolean allowedBy(Limits limits, String model) {
    return limits.models().isEmpty() || limits.models().contains(model);
  }

  private static @Nullable Long min(@Nullable Long a, @Nullable Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
  }
}
