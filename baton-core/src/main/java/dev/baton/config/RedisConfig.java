package dev.baton.config;

import org.jspecify.annotations.Nullable;

/**
 * The Redis that several instances share (contract section 8): the {@code redis:} section.
 *
 * @param url {@code redis://[:password@]host:6379[/db]}, or {@code rediss://} for TLS; null or empty when
 *     none is configured. A secret, since it may carry the password.
 */
public record RedisConfig(@Nullable Secret url) {

  /** Whether a Redis is configured: the url is set and not empty. */
  public boolean configured() {
    return url != null && !url.reveal().isBlank();
  }
}
