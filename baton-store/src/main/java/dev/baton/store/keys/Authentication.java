package dev.baton.store.keys;

import dev.baton.store.Refusal;

/** What presenting a virtual key came to: a key to go on with, or a 401 to answer. */
public sealed interface Authentication {

  /** The key is valid now. */
  record Accepted(KeyContext key) implements Authentication {}

  /** Unknown, revoked, expired or blocked: answer {@link #refusal()} (401 {@code invalid_api_key}). */
  record Refused(Refusal refusal) implements Authentication {}
}
