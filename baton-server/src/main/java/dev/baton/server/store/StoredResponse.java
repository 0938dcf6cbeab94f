package dev.baton.server.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored response, as a {@link ResponseStore} keeps it.
 *
 * @param id the response's id, {@code resp_…}
 * @param owner who made it: the caller's id (a virtual key's id, {@code master} or {@code anonymous}); only
 *     they (or the administrator) may read, continue or delete it
 * @param createdAt when it was made
 * @param expiresAt when it is forgotten
 * @param document the JSON document the front door stores; opaque to the store
 */
public record StoredResponse(String id, String owner, Instant createdAt, Instant expiresAt, byte[] document) {

  public StoredResponse {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(document, "document");
  }

  /** Whether it has expired at {@code now}. */
  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
