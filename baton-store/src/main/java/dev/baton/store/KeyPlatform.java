package dev.baton.store;

import dev.baton.config.DatabaseConfig;
import dev.baton.config.LoggingConfig;
import dev.baton.config.Secret;
import dev.baton.store.admin.AdminApi;
import dev.baton.store.admin.AdminResponse;
import dev.baton.store.jdbc.JdbcStore;
import dev.baton.store.keys.Authentication;
import dev.baton.store.keys.KeyContext;
import dev.baton.store.keys.VirtualKeys;
import dev.baton.store.limits.Admission;
import dev.baton.store.limits.Enforcer;
import dev.baton.store.limits.LimitCounters;
import dev.baton.store.limits.LocalCounters;
import dev.baton.store.responses.DatabaseResponseStore;
import dev.baton.store.spend.SpendLog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Virtual keys, teams, budgets, spend and stored responses over one database, assembled: what the
 * gateway's pipeline calls. {@link #open} connects (exit 2 on {@link DatabaseUnavailableException}),
 * migrates, replays a journal left by an earlier run, loads every key and team, seeds the budget counters
 * and starts the background work: the spend log's writer and health probe, stored responses' writer, and
 * a key refresh every 30 s that picks up other instances' changes.
 *
 * <pre>{@code
 * KeyPlatform keys = KeyPlatform.open(config.database(), config.logging(), config::modelNames, Clock.systemUTC());
 * switch (keys.authenticate(bearer)) {                          // Auth filter
 *   case Authentication.Refused r -> answer(r.refusal());       // 401 invalid_api_key
 *   case Authentication.Accepted a -> {
 *     switch (keys.admit(a.key(), model)) {                     // Limits & budget filter
 *       case Admission.Refused r -> answer(r.refusal());        // 403 / 429
 *       case Admission.Admitted ok -> {
 *         headers.putAll(ok.permit().headers());                // x-ratelimit-*
 *         ... the router answers ...
 *         ok.permit().complete(usage.input(), usage.output(), costUsd);
 *         keys.record(row);                                     // SpendRecord filter
 *       }
 *     }
 *   }
 * }
 * }</pre>
 */
public final class KeyPlatform implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KeyPlatform.class);
  /** The outage journal's file name under {@code data_dir}. */
  public static final String JOURNAL_FILE = "spend-journal.jsonl";

  private final Store store;
  private final VirtualKeys keys;
  private final Enforcer enforcer;
  private final SpendLog spendLog;
  private final DatabaseResponseStore responses;
  private final AdminApi admin;
  private final ScheduledExecutorService background;

  private KeyPlatform(Store store, VirtualKeys keys, Enforcer enforcer, SpendLog spendLog,
      DatabaseResponseStore responses, AdminApi admin, ScheduledExecutorService background) {
    this.store = store;
    this.keys = keys;
    this.enforcer = enforcer;
    this.spendLog = spendLog;
    this.responses = responses;
    this.admin = admin;
    this.background = background;
  }

  /**
   * Opens the configured database and starts everything, counting limits in this instance's memory.
   *
   * @param servedModels the gateway's public model names, for validating {@code models} in admin calls
   * @throws DatabaseUnavailableException when the database cannot be reached (one line; exit 2)
   */
  public static KeyPlatform open(DatabaseConfig database, LoggingConfig logging, Supplier<List<String>> servedModels,
      Clock clock) {
    return open(database, logging, servedModels, clock, new LocalCounters());
  }

  /**
   * Opens the configured database and starts everything, counting limits in {@code counters} (the shared
   * ones of several instances: {@code SharedState.counters()}).
   *
   * @throws DatabaseUnavailableException when the database cannot be reached (one line; exit 2)
   */
  public static KeyPlatform open(DatabaseConfig database, LoggingConfig logging, Supplier<List<String>> servedModels,
      Clock clock, LimitCounters counters) {
    return open(JdbcStore.open(database), database.dataDir(), logging, servedModels, clock, counters,
        Duration.ofMillis(500));
  }

  /**
   * Starts everything over an open store.
   *
   * @param counters where rate windows and budget spend are counted (shared ones for several instances)
   * @param flushEvery how often queued request-log rows are written
   */
  public static KeyPlatform open(Store store, Path dataDir, LoggingConfig logging, Supplier<List<String>> servedModels,
      Clock clock, LimitCounters counters, Duration flushEvery) {
    try {
      SpendLog spendLog = new SpendLog(store, dataDir.resolve(JOURNAL_FILE), logging.storeContent());
      spendLog.replayJournal();
      VirtualKeys keys = new VirtualKeys(store, clock, spendLog::databaseUp);
      keys.loadAll();
      Enforcer enforcer = new Enforcer(counters, clock);
      enforcer.seed(store, keys.all().stream().map(KeyContext::key).toList(), keys.teams());
      DatabaseResponseStore responses = new DatabaseResponseStore(store, clock);
      AdminApi admin = new AdminApi(store, keys, enforcer, spendLog, clock, servedModels);
      spendLog.start(flushEvery);
      ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "baton-keys-background");
        t.setDaemon(true);
        return t;
      });
      background.scheduleWithFixedDelay(() -> quietly("writing stored responses", responses::flush), 200, 200,
          TimeUnit.MILLISECONDS);
      background.scheduleWithFixedDelay(() -> quietly("refreshing keys", () -> {
        if (spendLog.databaseUp()) {
          keys.refresh();
        }
      }), 30, 30, TimeUnit.SECONDS);
      background.scheduleWithFixedDelay(() -> quietly("purging expired responses", responses::purgeExpired), 1, 10,
          TimeUnit.MINUTES);
      LOG.info("virtual keys on {}: {} keys, {} teams", store.describe(), keys.all().size(), keys.teams().size());
      return new KeyPlatform(store, keys, enforcer, spendLog, responses, admin, background);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static void quietly(String what, Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.debug("{} failed: {}", what, e.getMessage());
    }
  }

  /** Auth: a presented bearer token that is not the master key. */
  public Authentication authenticate(String secret) {
    return keys.authenticate(secret);
  }

  /** Limits and budget: may this key's request for this public model name go on? */
  public Admission admit(KeyContext key, String model) {
    return enforcer.admit(key, model);
  }

  /** Spend record: one row per answered or failed {@code /v1} request. Never blocks. */
  public void record(RequestRecord row) {
    spendLog.record(row);
  }

  /** The admin API; check {@link #authorizeAdmin} first. */
  public AdminApi admin() {
    return admin;
  }

  /** Null when {@code bearer} is the master key; else the 401/403 to answer (see {@link AdminApi#authorize}). */
  public @Nullable AdminResponse authorizeAdmin(@Nullable String bearer, @Nullable Secret masterKey) {
    return AdminApi.authorize(bearer, masterKey, keys);
  }

  /** Stored Responses-API responses. */
  public DatabaseResponseStore responses() {
    return responses;
  }

  /** {@code /health}'s {@code database}: false within seconds of losing it, true within seconds of its return. */
  public boolean databaseUp() {
    return spendLog.databaseUp();
  }

  public VirtualKeys keys() {
    return keys;
  }

  public Enforcer enforcer() {
    return enforcer;
  }

  public SpendLog spendLog() {
    return spendLog;
  }

  public Store store() {
    return store;
  }

  /** Flushes the spend log (to the database, or the journal if it does not answer within {@code grace}) and closes. */
  public void close(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    background.shutdownNow();
    spendLog.close(grace);
    // Stored responses get what is left of the grace: a hung database must not hold up the exit.
    Thread writer = Thread.ofPlatform().daemon().name("baton-responses-flush").start(() -> quietly(
        "writing stored responses", responses::flush));
    try {
      writer.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (responses.pending() > 0) {
      LOG.warn("{} stored responses were not written before shutdown and are lost", responses.pending());
    }
    store.close();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
