package dev.baton.store.responses;

import dev.baton.store.Store;
import dev.baton.store.StoreException;
import dev.baton.store.StoredResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stored responses in the database, so any instance can continue a conversation. {@link #put} only
 * queues (the answer is never held up by the database); a stored response is readable on this instance at
 * once, from the queue, and on every instance once {@link #flush()} has written it (the platform flushes
 * every 200 ms). Responses not yet written while the database is away stay queued and are written when it
 * is back; they are not journaled — a conversation's state is not a billing record — so a crash during an
 * outage can lose them.
 *
 * <p>{@link #get} and {@link #delete} of a response not held here ask the database and throw
 * {@link StoreException} while it is away: the front door answers 503 rather than a false 404.
 */
public final class DatabaseResponseStore implements ResponseStore {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseResponseStore.class);

  /** Responses written in one transaction at the most. */
  private static final int BATCH = 500;

  private final Store store;
  private final Clock clock;
  private final ConcurrentHashMap<String, StoredResponse> pending = new ConcurrentHashMap<>();
  private final Object writing = new Object();

  public DatabaseResponseStore(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public void put(StoredResponse response) {
    pending.put(response.id(), response);
  }

  @Override
  public Optional<StoredResponse> get(String id) {
    StoredResponse held = pending.get(id);
    if (held != null) {
      return held.expiredAt(clock.instant()) ? Optional.empty() : Optional.of(held);
    }
    return store.response(id, clock.instant());
  }

  @Override
  public boolean delete(String id) {
    synchronized (writing) {
      boolean held = pending.remove(id) != null;
      return store.deleteResponse(id) || held;
    }
  }

  /** Writes what is queued; what the database does not take stays queued for the next flush. */
  public void flush() {
    synchronized (writing) {
      List<StoredResponse> queued = new ArrayList<>(pending.values());
      for (int from = 0; from < queued.size(); from += BATCH) {
        List<StoredResponse> batch = queued.subList(from, Math.min(queued.size(), from + BATCH));
        try {
          store.putResponses(batch);
        } catch (StoreException e) {
          LOG.debug("{} stored responses wait for the database: {}", queued.size() - from, e.getMessage());
          return;
        }
        for (StoredResponse r : batch) {
          pending.remove(r.id(), r);
        }
      }
    }
  }

  /** Deletes expired responses from the database; how many. */
  public int purgeExpired() {
    pending.values().removeIf(r -> r.expiredAt(clock.instant()));
    return store.purgeResponses(clock.instant());
  }

  /** How many wait to be written. */
  public int pending() {
    return pending.size();
  }
}
