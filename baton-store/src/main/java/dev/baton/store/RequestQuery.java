package dev.baton.store;

import org.jspecify.annotations.Nullable;

/**
 * Which rows of the request log to read, newest first.
 *
 * @param limit at most this many rows
 * @param keyId only this key's
 * @param model only requests that asked for this public model name
 * @param status only requests answered with this HTTP status
 */
public record RequestQuery(int limit, @Nullable String keyId, @Nullable String model, @Nullable Integer status) {

  public static RequestQuery latest(int limit) {
    return new RequestQuery(limit, null, null, null);
  }

  /** Whether a row is one this query asks for (its limit aside). */
  public boolean matches(RequestRecord row) {
    return (keyId == null || keyId.equals(row.keyId())) && (model == null || model.equals(row.model()))
        && (status == null || status == row.status());
  }
}
