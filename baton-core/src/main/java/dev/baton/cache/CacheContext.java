package dev.baton.cache;

import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * How one request takes part in the response cache: whose entries it may share ({@code scope}), what it
 * asks ({@link CacheControl}), and who hears how the lookup went — a gateway sends it back as a header
 * before the answer, whatever the answer turns out to be.
 *
 * @param scope the partition of the cache the request uses, from {@link dev.baton.config.CacheConfig.Scope#partition};
 *     empty: the one everybody shares
 * @param control the request's {@code Cache-Control} directives
 * @param onLookup told the lookup's outcome once it is known, before any upstream call; may be null
 */
public record CacheContext(String scope, CacheControl control, @Nullable Consumer<CacheStatus> onLookup) {

  /** The shared scope, no directives, nobody told: what a plain SDK call uses. */
  public static final CacheContext DEFAULT = new CacheContext("", CacheControl.NONE, null);

  public CacheContext {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(control, "control");
  }

  /** The shared scope with these directives. */
  public static CacheContext of(CacheControl control) {
    return new CacheContext("", control, null);
  }

  /** This context in another scope, such as a tenant of the calling application. */
  public CacheContext inScope(String newScope) {
    return new CacheContext(newScope, control, onLookup);
  }

  void looked(CacheStatus status) {
    if (onLookup != null) {
      onLookup.accept(status);
    }
  }
}
