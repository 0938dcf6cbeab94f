package dev.baton.server.pipeline;

import dev.baton.store.keys.KeyContext;

/**
 * A caller with a virtual key ({@code sk-baton-…}): its key and team, which decide the models it may use
 * ({@code GET /v1/models} lists only those), its limits and its budget ({@link KeyLimits}), and whose spend
 * its requests count to ({@link SpendRecord}). It never administers.
 */
public record VirtualKeyCaller(KeyContext key) implements Caller {

  @Override
  public String id() {
    return key.keyId();
  }

  @Override
  public boolean admin() {
    return false;
  }

  @Override
  public @org.jspecify.annotations.Nullable String team() {
    return key.teamId();
  }

  @Override
  public boolean mayUse(String model) {
    return key.allows(model);
  }
}
