package dev.baton.store.admin;

import org.jspecify.annotations.Nullable;

/** An admin request that cannot be done as asked: a 400 whose message names the field ({@code param}). */
final class BadInput extends RuntimeException {

  private final @Nullable String param;

  BadInput(@Nullable String param, String message) {
    super(message, null, false, false);
    this.param = param;
  }

  @Nullable String param() {
    return param;
  }
}
