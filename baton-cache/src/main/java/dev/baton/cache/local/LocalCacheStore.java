package dev.baton.cache.local;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.baton.cache.CacheEntry;
import dev.baton.cache.CacheStore;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The response cache's entries in this process ({@code cache.type: local}): a Caffeine cache bounded by
 * entries and by bytes at once, each entry gone at its own expiry.
 *
 * <p>Caffeine bounds a cache by a count or by a weight, not both; both hold here because each entry weighs
 * at least an equal share of the byte budget — its size, or {@code maxBytes / maxEntries} if that is more —
 * under a total weight of {@code maxBytes}. So there are never more than {@code maxEntries} entries (each
 * weighs at least a share) nor more than {@code maxBytes} bytes (each weighs at least its size). When a new
 * entry does not fit, Caffeine evicts by its W-TinyLFU policy: the entries least likely to be asked for again.
 */
public final class LocalCacheStore implements CacheStore {

  /** What an entry costs beyond its value: its key, the entry object, Caffeine's node. */
  private static final int OVERHEAD = 160;

  private final Cache<String, CacheEntry> entries;
  private final Clock clock;
  private final long maxBytes;

  /**
   * @param maxEntries the most entries kept
   * @param maxBytes the most bytes the entries take together, keys and bookkeeping included
   * @param clock what entries expire by: the clock the cache stamps them with
   */
  public LocalCacheStore(long maxEntries, long maxBytes, Clock clock) {
    if (maxEntries < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("a local cache needs room for an entry, was " + maxEntries + " entries and "
          + maxBytes + " bytes");
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxBytes = maxBytes;
    long share = Math.max(1, maxBytes / maxEntries);
    this.entries = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((String key, CacheEntry entry) -> (int) Math.min(Integer.MAX_VALUE, Math.max(share, size(key, entry))))
        .expireAfter(new Expiry<String, CacheEntry>() {
          @Override
          public long expireAfterCreate(String key, CacheEntry entry, long now) {
            return untilExpiry(entry);
          }

          @Override
          public long expireAfterUpdate(String key, CacheEntry entry, long now, long current) {
            return untilExpiry(entry);
          }

          @Override
          public long expireAfterRead(String key, CacheEntry entry, long now, long current) {
            return current;
          }
        })
        .build();
  }

  private long untilExpiry(CacheEntry entry) {
    return TimeUnit.MILLISECONDS.toNanos(Math.max(0, entry.expiresAtMillis() - clock.millis()));
  }

  private static long size(String key, CacheEntry entry) {
    return (long) entry.value().length + 2L * key.length() + OVERHEAD;
  }

  @Override
  public @Nullable CacheEntry get(String key) {
    CacheEntry entry = entries.getIfPresent(key);
    if (entry != null && entry.expiresAtMillis() <= clock.millis()) {
      entries.asMap().remove(key, entry);
      return null;
    }
    return entry;
  }

  @Override
  public void put(String key, CacheEntry entry) {
    // An entry heavier than the whole budget is refused here: Caffeine would take it and evict it only
    // later, on its maintenance thread, after evicting everything else first.
    if (entry.expiresAtMillis() > clock.millis() && size(key, entry) <= maxBytes) {
      entries.put(key, entry);
    }
  }

  /** How many entries are kept now (evictions that are due may not have run yet). */
  public long size() {
    entries.cleanUp();
    return entries.estimatedSize();
  }

  /** How many bytes the entries take now, as they are weighed. */
  public long weight() {
    entries.cleanUp();
    return entries.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  @Override
  public void close() {
    entries.invalidateAll();
  }
}
