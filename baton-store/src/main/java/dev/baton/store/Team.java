package dev.baton.store;

import java.time.Instant;
import java.util.Map;

/**
 * A team: a group of keys sharing limits and a budget.
 *
 * @param metadata free-form JSON values the administrator attached
 * @param blocked a blocked team's keys are refused until it is unblocked
 */
public record Team(
    String id, String name, Limits limits, Map<String, Object> metadata, boolean blocked, Instant createdAt,
    Instant updatedAt) {

  public Team {
    metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
  }
}
