package dev.baton.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A stored Responses-API response: an opaque JSON document kept for {@code GET /v1/responses/{id}} and
 * {@code previous_response_id}.
 *
 * @param id {@code resp_…}
 * @param keyId the virtual key that created it; {@code null} for the master key
 * @param expiresAt after this moment it is gone; {@code null}: kept until deleted
 * @param document the JSON the front door stored, returned unchanged
 */
public record StoredResponse(String id, @Nullable String keyId, Instant createdAt, @Nullable Instant expiresAt,
    String document) {

  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
