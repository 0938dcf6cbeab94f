package dev.baton.cache;

import dev.baton.ConfigException;
import dev.baton.config.BatonConfig;
import dev.baton.config.CacheConfig;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/** The cache stores on the classpath, by {@code cache.type} ({@link CacheStoreFactory}). */
public final class CacheStores {

  /** The artifacts that bring the contract's types, for the message when one is asked for without it. */
  private static final Map<String, String> ARTIFACTS = Map.of(CacheConfig.LOCAL, "dev.baton:baton-cache",
      CacheConfig.REDIS, "dev.baton:baton-redis");

  private static final Map<String, CacheStoreFactory> FACTORIES = load();

  private CacheStores() {}

  private static Map<String, CacheStoreFactory> load() {
    Map<String, CacheStoreFactory> byType = new LinkedHashMap<>();
    for (CacheStoreFactory factory : ServiceLoader.load(CacheStoreFactory.class, CacheStores.class.getClassLoader())) {
      CacheStoreFactory before = byType.putIfAbsent(factory.type(), factory);
      if (before != null) {
        throw new IllegalStateException("two cache stores are of type " + factory.type() + ": "
            + before.getClass().getName() + " and " + factory.getClass().getName());
      }
    }
    return Map.copyOf(byType);
  }

  /** Every type a configuration may name: {@code local}, {@code redis}, and any other a module declares. */
  public static Set<String> types() {
    Set<String> types = new LinkedHashSet<>(ARTIFACTS.keySet().stream().sorted().toList());
    types.addAll(FACTORIES.keySet());
    return types;
  }

  /**
   * A new store of the configured type.
   *
   * @throws ConfigException when no module on the classpath makes that type, naming the artifact that does
   */
  public static CacheStore create(CacheConfig cache, BatonConfig config, Clock clock) {
    CacheStoreFactory factory = FACTORIES.get(cache.type());
    if (factory == null) {
      String artifact = ARTIFACTS.get(cache.type());
      throw new ConfigException("cache.type: a " + cache.type() + " cache needs "
          + (artifact == null ? "a module that provides it" : artifact) + " on the classpath");
    }
    return factory.create(cache, config, clock);
  }
}
