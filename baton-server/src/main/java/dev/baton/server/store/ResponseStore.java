package dev.baton.server.store;

import java.util.Optional;

/**
 * Where the Responses API's stored responses live ({@code store: true}, the default): one opaque JSON
 * document per {@code resp_…} id, with when it was made, when it expires and whose it is. The gateway keeps
 * them itself, whichever deployment answered, so {@code previous_response_id} continues a conversation on
 * any provider. In memory now ({@link InMemoryResponseStore}); in the database once keys and spend land, so
 * that every instance can continue them. Implementations are safe for concurrent use.
 */
public interface ResponseStore extends AutoCloseable {

  /** Stores a response, replacing one with the same id. */
  void put(StoredResponse response);

  /** The response with this id; empty when there is none, or it has expired. */
  Optional<StoredResponse> get(String id);

  /** Deletes the response with this id; false when there was none. */
  boolean delete(String id);

  @Override
  default void close() {}
}
