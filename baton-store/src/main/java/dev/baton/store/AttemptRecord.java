package dev.baton.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One upstream attempt of a logged request.
 *
 * @param deployment the deployment tried, as the router names it
 * @param outcome {@code success} or the failure's kind, such as {@code rate_limited}
 * @param reason why it failed, in words; {@code null} for a success
 */
public record AttemptRecord(
    String deployment, String outcome, @Nullable String reason, @JsonProperty("latency_ms") long latencyMs) {}
