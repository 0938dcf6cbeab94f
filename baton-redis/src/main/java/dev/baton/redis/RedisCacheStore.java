package dev.baton.redis;

import dev.baton.cache.CacheEntry;
import dev.baton.cache.CacheStore;
import io.lettuce.core.SetArgs;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The response cache's entries in Redis, shared by every instance: one key per entry
 * ({@code baton:cache:<key>}), its value the entry's creation and expiry times followed by the cached
 * bytes, expiring in Redis when the entry does. A lookup waits at most {@link RedisLink#ON_PATH} and is a
 * miss when Redis is away, hung or slow; a store is sent without waiting and dropped when Redis is away.
 *
 * <p>A gateway's store runs on the link its {@link SharedState} already holds (one link per gateway) and
 * leaves it open on {@link #close()}; one made by {@link RedisCacheStoreFactory} (an SDK's cache) owns a
 * link of its own and closes it.
 */
final class RedisCacheStore implements CacheStore {

  private static final String PREFIX = "baton:cache:";
  private static final int HEADER = 2 * Long.BYTES;

  private final RedisLink link;
  private final boolean ownsLink;
  /** How long a lookup waits; 0 for a request's path ({@link RedisLink#onPathDeadline()}). */
  private final long lookupNanos;

  RedisCacheStore(RedisLink link, boolean ownsLink) {
    this.link = link;
    this.ownsLink = ownsLink;
    this.lookupNanos = 0;
  }

  /** A store whose lookups wait up to {@code lookupWait} instead of a request's bound: for tests of its content. */
  RedisCacheStore(RedisLink link, boolean ownsLink, java.time.Duration lookupWait) {
    this.link = link;
    this.ownsLink = ownsLink;
    this.lookupNanos = lookupWait.toNanos();
  }

  @Override
  public @Nullable CacheEntry get(String key) {
    var commands = link.usable() ? link.binary() : null;
    if (commands == null) {
      return null;
    }
    byte[] stored = link.await(commands.get(PREFIX + key),
        lookupNanos == 0 ? RedisLink.onPathDeadline() : System.nanoTime() + lookupNanos);
    if (stored == null || stored.length < HEADER) {
      return null;
    }
    ByteBuffer header = ByteBuffer.wrap(stored, 0, HEADER);
    long created = header.getLong();
    long expires = header.getLong();
    if (expires <= System.currentTimeMillis()) {
      return null;
    }
    return new CacheEntry(Arrays.copyOfRange(stored, HEADER, stored.length), created, expires);
  }

  @Override
  public void put(String key, CacheEntry entry) {
    var commands = link.up() ? link.binary() : null;
    if (commands == null || entry.expiresAtMillis() <= System.currentTimeMillis()) {
      return;
    }
    byte[] value = ByteBuffer.allocate(HEADER + entry.value().length)
        .putLong(entry.createdAtMillis())
        .putLong(entry.expiresAtMillis())
        .put(entry.value())
        .array();
    commands.set(PREFIX + key, value, SetArgs.Builder.pxAt(entry.expiresAtMillis()));
  }

  @Override
  public void close() {
    if (ownsLink) {
      link.close();
    }
  }
}
