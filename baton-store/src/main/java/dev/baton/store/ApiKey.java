package dev.baton.store;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A virtual key as stored: never its secret, only the secret's hash and a short prefix to recognise it by.
 *
 * @param hash the SHA-256 of the secret, in hex (see {@link dev.baton.store.keys.Secrets})
 * @param prefix the first characters of the secret, such as {@code sk-baton-Ab3x}, for display
 * @param teamId the team whose limits also apply, if any
 * @param expiresAt after this moment the key is refused
 * @param revokedAt when it was revoked (DELETE); a revoked key never works again
 */
public record ApiKey(
    String id,
    String name,
    String hash,
    String prefix,
    @Nullable String teamId,
    Limits limits,
    Map<String, Object> metadata,
    boolean blocked,
    @Nullable Instant expiresAt,
    Instant createdAt,
    Instant updatedAt,
    @Nullable Instant revokedAt) {

  public ApiKey {
    metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
  }

  /** True when it was revoked or has expired at {@code now}. */
  public boolean endedAt(Instant now) {
    return revokedAt != null || (expiresAt != null && !now.isBefore(expiresAt));
  }

  @Override
  public String toString() {
    return "ApiKey[id=" + id + ", name=" + name + ", prefix=" + prefix + ", team=" + teamId + "]";
  }
}
