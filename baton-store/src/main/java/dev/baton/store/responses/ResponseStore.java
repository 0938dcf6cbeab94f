package dev.baton.store.responses;

import dev.baton.store.StoredResponse;
import java.util.Optional;

/** Stored Responses-API responses by {@code resp_…} id: what {@code GET/DELETE /v1/responses/{id}} and {@code previous_response_id} read. */
public interface ResponseStore {

  /** Keeps a response (replacing one with the same id). Never waits on the database. */
  void put(StoredResponse response);

  /** The response, unless unknown, deleted or expired. */
  Optional<StoredResponse> get(String id);

  /** Deletes it; false when there was none. */
  boolean delete(String id);
}
