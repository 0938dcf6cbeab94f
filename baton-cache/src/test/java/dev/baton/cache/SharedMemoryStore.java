package dev.baton.cache;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A store that behaves as a shared one does (Redis): entries kept as bytes, outside any one Baton, so
 * several instances see each other's entries and none shares an object with another; and it can go away —
 * {@link #down(boolean)} — when, as the {@link CacheStore} contract asks, it answers every lookup as a miss
 * and drops what it is given instead of failing.
 */
public final class SharedMemoryStore implements CacheStore {

  private final Map<String, byte[]> entries = new ConcurrentHashMap<>();
  private final Clock clock;
  private volatile boolean down;
  public final AtomicInteger gets = new AtomicInteger();
  public final AtomicInteger puts = new AtomicInteger();

  /** A store whose entries expire by {@code clock}, as Redis's expire by its own. */
  public SharedMemoryStore(Clock clock) {
    this.clock = clock;
  }

  public SharedMemoryStore() {
    this(Clock.systemUTC());
  }

  /** Makes the store unreachable (true) or reachable again (false). */
  public void down(boolean unreachable) {
    this.down = unreachable;
  }

  /** How many entries it holds. */
  public int size() {
    return entries.size();
  }

  @Override
  public @Nullable CacheEntry get(String key) {
    gets.incrementAndGet();
    if (down) {
      return null;
    }
    byte[] stored = entries.get(key);
    if (stored == null) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(stored);
    long created = in.getLong();
    long expires = in.getLong();
    if (expires <= clock.millis()) {
      entries.remove(key, stored);
      return null;
    }
    byte[] value = new byte[in.remaining()];
    in.get(value);
    return new CacheEntry(value, created, expires);
  }

  @Override
  public void put(String key, CacheEntry entry) {
    puts.incrementAndGet();
    if (down) {
      return;
    }
    ByteBuffer out = ByteBuffer.allocate(16 + entry.value().length);
    out.putLong(entry.createdAtMillis()).putLong(entry.expiresAtMillis()).put(entry.value());
    entries.put(key, out.array());
  }
}
