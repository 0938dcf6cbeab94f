package dev.baton.server.pipeline;

/**
 * Who is calling, once authenticated: the master key, anyone (when the gateway has no master key), and
 * later a virtual key with its team, models and limits.
 */
public interface Caller {

  /** The master key's holder: the administrator, who may call everything. */
  Caller MASTER = new Named("master", true);

  /** Anyone, on a gateway configured without a master key. */
  Caller ANONYMOUS = new Named("anonymous", false);

  /** How logs and spend records name the caller: {@code master}, {@code anonymous} or a key's id. */
  String id();

  /** Whether the caller may use the admin API. */
  boolean admin();

  /** The team of the caller's key, or null when it has none (the master key, anyone, a key without a team). */
  default @org.jspecify.annotations.Nullable String team() {
    return null;
  }

  /** Whether the caller may ask for this public model name; {@code GET /v1/models} lists only these. */
  default boolean mayUse(String model) {
    return true;
  }

  /** A caller that is only a name. */
  record Named(String id, boolean admin) implements Caller {}
}
