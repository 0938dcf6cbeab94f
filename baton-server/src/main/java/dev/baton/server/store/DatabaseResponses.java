package dev.baton.server.store;

import dev.baton.server.pipeline.Caller;
import dev.baton.server.pipeline.GatewayError;
import dev.baton.store.StoreException;
import dev.baton.store.responses.DatabaseResponseStore;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Stored responses in the gateway's database ({@code baton-store}'s {@link DatabaseResponseStore}), so every
 * instance can continue a conversation and a restart keeps them. Storing never waits on the database (the
 * response is queued and written within 200 ms; this instance reads it from the queue meanwhile). Reading
 * or deleting one this instance does not hold asks the database: while it is away that is a 503
 * {@code database_unavailable} — not a 404, which would tell the caller the response is gone.
 *
 * <p>The owner is kept as the row's key: a virtual key's id, {@code anonymous} on an open gateway, and no
 * key for the master key's responses.
 */
public final class DatabaseResponses implements ResponseStore {

  private final DatabaseResponseStore store;

  public DatabaseResponses(DatabaseResponseStore store) {
    this.store = store;
  }

  @Override
  public void put(StoredResponse response) {
    store.put(new dev.baton.store.StoredResponse(response.id(),
        response.owner().equals(Caller.MASTER.id()) ? null : response.owner(), response.createdAt(),
        response.expiresAt(), new String(response.document(), StandardCharsets.UTF_8)));
  }

  @Override
  public Optional<StoredResponse> get(String id) {
    try {
      return store.get(id).map(DatabaseResponses::fromRow);
    } catch (StoreException e) {
      throw unavailable();
    }
  }

  @Override
  public boolean delete(String id) {
    try {
      // An expired response is unknown, as for get, even before the purge removes its row.
      return store.get(id).isPresent() && store.delete(id);
    } catch (StoreException e) {
      throw unavailable();
    }
  }

  private static StoredResponse fromRow(dev.baton.store.StoredResponse row) {
    return new StoredResponse(row.id(), row.keyId() == null ? Caller.MASTER.id() : row.keyId(), row.createdAt(),
        row.expiresAt() == null ? java.time.Instant.MAX : row.expiresAt(),
        row.document().getBytes(StandardCharsets.UTF_8));
  }

  private static GatewayError unavailable() {
    return new GatewayError(503, "api_error", "database_unavailable",
        "Stored responses are in the gateway's database, which is unavailable; try again shortly.",
        java.time.Duration.ofSeconds(5), false);
  }
}
