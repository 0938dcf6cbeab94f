package dev.baton.store.keys;

import dev.baton.store.ApiKey;
import dev.baton.store.Refusal;
import dev.baton.store.Store;
import dev.baton.store.StoreException;
import dev.baton.store.Team;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every unrevoked key and every team, held in memory, so checking a key on a request never waits on the
 * database. Changes made through this instance ({@link #put}, {@link #remove}, {@link #putTeam},
 * {@link #removeTeam}) take effect at once. Changes made elsewhere arrive three ways: a key this instance
 * has never seen is looked up in the database (when it is up; misses are remembered for a short while so
 * random keys cannot hammer it); {@link #refresh()} reloads everything (the platform calls it every
 * 30 s); and {@link #invalidateKey}/{@link #invalidateTeam} reload one entry — the hook a Redis pub/sub
 * subscriber calls to make another instance's change instant. {@link Listener}s hear of this instance's
 * own changes, which is what a publisher listens to.
 */
public final class VirtualKeys {

  /** Told of changes made through this instance, to pass on to other instances. */
  public interface Listener {
    default void keyChanged(String keyId) {}

    default void teamChanged(String teamId) {}
  }

  private static final Logger LOG = LoggerFactory.getLogger(VirtualKeys.class);
  private static final long MISS_MEMORY_MS = 10_000;
  private static final int MAX_MISSES = 10_000;

  private final Store store;
  private final Clock clock;
  private final BooleanSupplier databaseUp;
  private final ConcurrentHashMap<String, KeyContext> byHash = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String> hashById = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Team> teams = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> misses = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  /** Bumped by every local change, so a refresh that read the database before it does not undo it. */
  private final AtomicLong changes = new AtomicLong();

  public VirtualKeys(Store store, Clock clock, BooleanSupplier databaseUp) {
    this.store = store;
    this.clock = clock;
    this.databaseUp = databaseUp;
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  /**
   * Checks a presented secret: accepted with its key and team, or a 401 refusal saying why (unknown or
   * revoked, expired, blocked). Never says more about a key than that the caller's secret names it.
   */
  public Authentication authenticate(String secret) {
    String hash = Secrets.hash(secret);
    KeyContext context = byHash.get(hash);
    if (context == null) {
      context = lookUp(hash);
      if (context == null) {
        return new Authentication.Refused(Refusal.invalidApiKey("this key does not exist or was revoked."));
      }
    }
    ApiKey key = context.key();
    Instant now = clock.instant();
    if (key.expiresAt() != null && !now.isBefore(key.expiresAt())) {
      return new Authentication.Refused(Refusal.invalidApiKey("this key expired at " + key.expiresAt() + "."));
    }
    if (key.blocked()) {
      return new Authentication.Refused(Refusal.invalidApiKey("this key is blocked."));
    }
    if (context.team() != null && context.team().blocked()) {
      return new Authentication.Refused(Refusal.invalidApiKey("its team is blocked."));
    }
    return new Authentication.Accepted(context);
  }

  /** The cached key with this id, with its team. */
  public Optional<KeyContext> byId(String keyId) {
    String hash = hashById.get(keyId);
    return hash == null ? Optional.empty() : Optional.ofNullable(byHash.get(hash));
  }

  /** The cached team with this id. */
  public Optional<Team> team(String teamId) {
    return Optional.ofNullable(teams.get(teamId));
  }

  /** Every cached key, with its team. */
  public List<KeyContext> all() {
    return List.copyOf(byHash.values());
  }

  /** Every cached team. */
  public List<Team> teams() {
    return List.copyOf(teams.values());
  }

  /** Loads every key and team from the database, replacing what is held. */
  public void loadAll() {
    List<Team> allTeams = store.teams();
    List<ApiKey> allKeys = store.keys();
    replaceAll(allTeams, allKeys);
  }

  /**
   * Reloads everything from the database, unless a change was made through this instance meanwhile (then
   * the next refresh does it). False when the database could not be read or a change got in the way.
   */
  public boolean refresh() {
    long before = changes.get();
    List<Team> allTeams;
    List<ApiKey> allKeys;
    try {
      allTeams = store.teams();
      allKeys = store.keys();
    } catch (StoreException e) {
      LOG.debug("refreshing keys failed: {}", e.getMessage());
      return false;
    }
    synchronized (this) {
      if (changes.get() != before) {
        return false;
      }
      replaceAll(allTeams, allKeys);
    }
    return true;
  }

  private synchronized void replaceAll(List<Team> allTeams, List<ApiKey> allKeys) {
    Map<String, Team> teamMap = new HashMap<>();
    for (Team t : allTeams) {
      teamMap.put(t.id(), t);
    }
    Map<String, KeyContext> keyMap = new HashMap<>();
    Map<String, String> ids = new HashMap<>();
    for (ApiKey k : allKeys) {
      keyMap.put(k.hash(), new KeyContext(k, k.teamId() == null ? null : teamMap.get(k.teamId())));
      ids.put(k.id(), k.hash());
    }
    teams.keySet().retainAll(teamMap.keySet());
    teams.putAll(teamMap);
    byHash.keySet().retainAll(keyMap.keySet());
    byHash.putAll(keyMap);
    hashById.keySet().retainAll(ids.keySet());
    hashById.putAll(ids);
    misses.clear();
  }

  /** A key created or changed through this instance: in effect from now on. */
  public void put(ApiKey key) {
    synchronized (this) {
      changes.incrementAndGet();
      String previous = hashById.put(key.id(), key.hash());
      if (previous != null && !previous.equals(key.hash())) {
        byHash.remove(previous);
      }
      byHash.put(key.hash(), new KeyContext(key, key.teamId() == null ? null : teams.get(key.teamId())));
      misses.remove(key.hash());
    }
    listeners.forEach(l -> l.keyChanged(key.id()));
  }

  /** A key revoked through this instance: refused from now on. */
  public void remove(String keyId) {
    synchronized (this) {
      changes.incrementAndGet();
      String hash = hashById.remove(keyId);
      if (hash != null) {
        byHash.remove(hash);
      }
    }
    listeners.forEach(l -> l.keyChanged(keyId));
  }

  /** A team created or changed through this instance: its keys see it from now on. */
  public void putTeam(Team team) {
    synchronized (this) {
      changes.incrementAndGet();
      teams.put(team.id(), team);
      byHash.replaceAll((hash, c) -> team.id().equals(c.key().teamId()) ? new KeyContext(c.key(), team) : c);
    }
    listeners.forEach(l -> l.teamChanged(team.id()));
  }

  /** A team deleted through this instance, with the keys it revoked. */
  public void removeTeam(String teamId, List<String> revokedKeys) {
    synchronized (this) {
      changes.incrementAndGet();
      teams.remove(teamId);
      for (String keyId : revokedKeys) {
        String hash = hashById.remove(keyId);
        if (hash != null) {
          byHash.remove(hash);
        }
      }
    }
    listeners.forEach(l -> l.teamChanged(teamId));
  }

  /** Another instance changed or revoked this key: read it again from the database. */
  public void invalidateKey(String keyId) {
    Optional<ApiKey> fresh;
    try {
      fresh = store.key(keyId);
    } catch (StoreException e) {
      LOG.warn("cannot reload key {} after a change elsewhere: {}", keyId, e.getMessage());
      return;
    }
    synchronized (this) {
      changes.incrementAndGet();
      String hash = hashById.remove(keyId);
      if (hash != null) {
        byHash.remove(hash);
      }
      fresh.filter(k -> k.revokedAt() == null).ifPresent(k -> {
        hashById.put(k.id(), k.hash());
        byHash.put(k.hash(), new KeyContext(k, k.teamId() == null ? null : teams.get(k.teamId())));
      });
    }
  }

  /** Another instance changed or deleted this team: read it and its keys again. */
  public void invalidateTeam(String teamId) {
    Optional<Team> fresh;
    List<ApiKey> keys;
    try {
      fresh = store.team(teamId);
      keys = store.keys().stream().filter(k -> teamId.equals(k.teamId())).toList();
    } catch (StoreException e) {
      LOG.warn("cannot reload team {} after a change elsewhere: {}", teamId, e.getMessage());
      return;
    }
    synchronized (this) {
      changes.incrementAndGet();
      fresh.ifPresentOrElse(t -> teams.put(teamId, t), () -> teams.remove(teamId));
      byHash.values().removeIf(c -> teamId.equals(c.key().teamId()));
      hashById.values().removeIf(h -> !byHash.containsKey(h));
      Team team = fresh.orElse(null);
      for (ApiKey k : keys) {
        hashById.put(k.id(), k.hash());
        byHash.put(k.hash(), new KeyContext(k, team));
      }
    }
  }

  /** A key not held: perhaps made on another instance. Asked of the database only while it is up. */
  private @Nullable KeyContext lookUp(String hash) {
    long now = System.nanoTime() / 1_000_000;
    Long missedAt = misses.get(hash);
    if (missedAt != null && now - missedAt < MISS_MEMORY_MS) {
      return null;
    }
    if (!databaseUp.getAsBoolean()) {
      return null;
    }
    Optional<ApiKey> found;
    try {
      found = store.keyByHash(hash);
    } catch (StoreException e) {
      LOG.debug("looking up an unknown key failed: {}", e.getMessage());
      return null;
    }
    if (found.isEmpty()) {
      if (misses.size() >= MAX_MISSES) {
        misses.clear();
      }
      misses.put(hash, now);
      return null;
    }
    ApiKey key = found.get();
    Team team = key.teamId() == null ? null : teams.get(key.teamId());
    if (key.teamId() != null && team == null) {
      try {
        team = store.team(key.teamId()).orElse(null);
      } catch (StoreException e) {
        return null;
      }
      if (team != null) {
        teams.put(team.id(), team);
      }
    }
    KeyContext context = new KeyContext(key, team);
    synchronized (this) {
      hashById.put(key.id(), key.hash());
      byHash.put(key.hash(), context);
    }
    return context;
  }
}
