package dev.baton.server.store;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stored responses in this process's memory, bounded: at most {@code maxResponses} of them and
 * {@code maxBytes} of documents, the oldest forgotten first when either is reached, and none kept past its
 * expiry. Lost at restart, and not shared between instances: the database-backed store is for that. No
 * lock: a map for lookups, a queue of insertions for eviction.
 */
public final class InMemoryResponseStore implements ResponseStore {

  /** The defaults: ten thousand responses, 256 MB of documents. */
  public static final int DEFAULT_MAX_RESPONSES = 10_000;
  public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;

  private final int maxResponses;
  private final long maxBytes;
  private final Clock clock;
  private final ConcurrentHashMap<String, StoredResponse> byId = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<StoredResponse> oldestFirst = new ConcurrentLinkedQueue<>();
  private final AtomicLong bytes = new AtomicLong();

  public InMemoryResponseStore() {
    this(DEFAULT_MAX_RESPONSES, DEFAULT_MAX_BYTES, Clock.systemUTC());
  }

  public InMemoryResponseStore(int maxResponses, long maxBytes, Clock clock) {
    if (maxResponses < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("a response store holds at least one response and one byte");
    }
    this.maxResponses = maxResponses;
    this.maxBytes = maxBytes;
    this.clock = clock;
  }

  @Override
  public void put(StoredResponse response) {
    StoredResponse replaced = byId.put(response.id(), response);
    if (replaced != null) {
      bytes.addAndGet(-replaced.document().length);
      oldestFirst.remove(replaced); // rare, so a scan of the queue is fine; its document is not kept for nothing
    }
    bytes.addAndGet(response.document().length);
    oldestFirst.add(response);
    evict();
  }

  @Override
  public Optional<StoredResponse> get(String id) {
    StoredResponse response = byId.get(id);
    if (response == null) {
      return Optional.empty();
    }
    if (response.expiredAt(clock.instant())) {
      forget(response);
      return Optional.empty();
    }
    return Optional.of(response);
  }

  @Override
  public boolean delete(String id) {
    StoredResponse response = byId.get(id);
    return response != null && forget(response) && !response.expiredAt(clock.instant());
  }

  /** How many responses are held, expired ones not yet forgotten included. */
  public int size() {
    return byId.size();
  }

  /** Forgets the oldest until within both bounds, and any expired ones at the head of the queue. */
  private void evict() {
    java.time.Instant now = clock.instant();
    StoredResponse oldest;
    while ((oldest = oldestFirst.peek()) != null) {
      boolean stale = byId.get(oldest.id()) != oldest; // replaced or deleted since: only its queue entry is left
      boolean over = byId.size() > maxResponses || bytes.get() > maxBytes;
      if (!stale && !over && !oldest.expiredAt(now)) {
        return;
      }
      if (stale) {
        oldestFirst.remove(oldest);
      } else {
        forget(oldest);
      }
    }
  }

  private boolean forget(StoredResponse response) {
    if (byId.remove(response.id(), response)) {
      bytes.addAndGet(-response.document().length);
      oldestFirst.remove(response);
      return true;
    }
    return false;
  }
}
