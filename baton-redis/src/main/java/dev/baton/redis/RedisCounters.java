package dev.baton.redis;

import dev.baton.router.SharedRouterState;
import dev.baton.store.limits.LimitCounters;
import dev.baton.store.limits.WindowState;
import io.lettuce.core.ScriptOutputType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LimitCounters} counted by every instance together in Redis, and the same windows for
 * deployments' {@code rpm}/{@code tpm}. Redis is kept off the request path:
 *
 * <ul>
 *   <li><b>Request windows</b> ({@code rpm}) are handed out in <em>allotments</em>: an instance claims a
 *       small batch of requests from the window in Redis (one atomic script), admits requests from it
 *       locally, and claims the next batch in the background before it runs out. A batch is 4% of the
 *       limit shared among the live instances (at least 1), and an instance holds at most two batches at
 *       once, so what the instances hold but have not used is at most 8% of the limit: in any 60-second
 *       window they admit at most the limit plus that, and, when requests come faster than the limit, at
 *       least the limit less that — however the requests are spread. Permits are good for 5 s, so a
 *       permit cannot be used in a later window than the one it was counted in by more than that. A
 *       request waits for a claim only when its instance holds nothing, and then at most
 *       {@link RedisLink#ON_PATH}; with a limit under 25 per instance every request claims its own.</li>
 *   <li><b>Token windows</b> ({@code tpm}) and <b>budget spend</b> are counted locally and sent in
 *       batches every {@value #SYNC_MS} ms, each answer bringing back the cluster's total; what this
 *       instance only reads (keys active in the last minute) is read again every {@value #REFRESH_MS} ms.
 *       A request sees the last total plus what this instance has not sent yet. Spend batches carry an
 *       id, so one retried after a lost answer is counted once. A budget crossed on another instance is
 *       seen within about {@value #SYNC_MS} + {@value #REFRESH_MS} ms (a spend view older than
 *       {@value #SPEND_STALE_MS} ms — a key idle for a while — is read on the path, bounded like a
 *       claim).</li>
 *   <li><b>Without Redis</b> (down or hung) each decision falls back to what this instance counted
 *       itself all along, second by second ({@link Seconds}): limits as if it were alone. When Redis is up but
 *       one claim does not come back within {@link RedisLink#ON_PATH}, the request is admitted only within
 *       this instance's share of what the cluster last had left (over the live instances), and paid from
 *       the late claim's permits when they land, so a moment's slowness on every instance cannot add up
 *       to more than the limit. What it counted alone is sent when Redis answers again; when Redis lost its data (it
 *       restarted), each instance writes back its own last minute and its spend totals.</li>
 * </ul>
 */
final class RedisCounters implements LimitCounters, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisCounters.class);

  static final double BATCH_SHARE = 0.04;
  static final long PERMITS_VALID_MS = 5_000;
  static final long FULL_RECHECK_MS = 1_000;
  static final long SYNC_MS = 100;
  static final long SPEND_STALE_MS = 1_000;
  /** How often a window or spend this instance only reads is read again from Redis. */
  static final long REFRESH_MS = 500;
  /**
   * Tokens counted here go to Redis at most this long after the answer that used them (sooner when nothing is
   * being sent), so the other instances' reads near a limit see them.
   */
  static final long TOKENS_SEND_MS = 5;
  /** Near a tpm limit, a view of the cluster's tokens older than this is read again on the request's path. */
  static final long TOKENS_FRESH_MS = 2;
  private static final long ACTIVE_MS = 60_000;

  private final RedisLink link;
  private final Clock clock;
  private final ConcurrentHashMap<String, RequestWindow> requestWindows = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, TokenWindow> tokenWindows = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, SpendView> spends = new ConcurrentHashMap<>();
  private final AtomicLong batches = new AtomicLong();
  private final ScheduledExecutorService sync;

  RedisCounters(RedisLink link, Clock clock) {
    this.link = link;
    this.clock = clock;
    this.sync = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "baton-redis-counters");
      t.setDaemon(true);
      return t;
    });
    sync.scheduleWithFixedDelay(this::syncAll, SYNC_MS, SYNC_MS, TimeUnit.MILLISECONDS);
    link.onUp(this::resync);
  }

  private static String key(String scope, String kind) {
    return "baton:{" + scope + "}:" + kind;
  }

  private static long second(long ms) {
    return Math.floorDiv(ms, 1000);
  }

  // ---------------------------------------------------------------- request windows

  /** One scope's request window as this instance sees it: its allotment and what it counted itself. */
  private final class RequestWindow {
    final String key;
    final Seconds own = new Seconds();
    final Seconds unsynced = new Seconds();
    long available;
    /** Requests admitted while a claim was late, to be paid from its permits when it lands. */
    long debt;
    long validUntil;
    long used;
    long resetAt;
    long fullUntil;
    @Nullable CompletableFuture<List<Object>> pending;

    RequestWindow(String scope) {
      this.key = key(scope, "requests");
    }

    /** Under this window's lock: a decision, or null after starting (or finding) a claim to wait for. */
    @Nullable WindowState take(long limit, long nowMs) {
      if (pending != null && pending.isDone()) {
        pending = null;
      }
      if (nowMs >= validUntil) {
        available = 0;
      }
      long batch = batch(limit);
      if (available > 0) {
        available--;
        if (batch > 1 && available * 2 < batch && pending == null) {
          pending = claim(this, batch, limit, nowMs);
        }
        return new WindowState(true, Math.max(0, used - available), limit, Duration.ofMillis(Math.max(0, resetAt - nowMs)));
      }
      if (nowMs < fullUntil) {
        return new WindowState(false, Math.max(used, limit), limit, Duration.ofMillis(Math.max(0, resetAt - nowMs)));
      }
      if (pending == null) {
        pending = claim(this, batch + debt, limit, nowMs);
      }
      return null;
    }
  }

  private long batch(long limit) {
    return Math.max(1, (long) (limit * BATCH_SHARE / link.instances()));
  }

  /** Claims up to {@code want} requests (0: only sends what was counted alone), under the window's lock. */
  private CompletableFuture<List<Object>> claim(RequestWindow w, long want, long limit, long nowMs) {
    List<String> args = new ArrayList<>(List.of(Long.toString(nowMs), Long.toString(limit), Long.toString(want)));
    Seconds sent = w.unsynced.copy();
    args.addAll(sent.asArguments(second(nowMs)));
    w.unsynced.clear();
    CompletableFuture<List<Object>> call = link.eval(Scripts.WINDOW, ScriptOutputType.MULTI, new String[] {w.key},
        args.toArray(String[]::new));
    return call.handle((reply, failure) -> {
      synchronized (w) {
        if (failure != null || reply == null) {
          w.unsynced.addAll(sent);
          w.unsynced.add(second(nowMs), w.debt); // what was admitted meanwhile is counted when Redis answers
          w.debt = 0;
          return null;
        }
        link.answered();
        long fromRedis = (Long) reply.get(0);
        long granted = fromRedis;
        w.used = (Long) reply.get(1);
        w.resetAt = nowMs + (Long) reply.get(2);
        long paid = Math.min(granted, w.debt);
        w.debt -= paid;
        granted -= paid;
        if (w.debt > 0) {
          w.unsynced.add(second(nowMs), w.debt);
          w.debt = 0;
        }
        if (granted > 0) {
          w.available += granted;
          w.validUntil = nowMs + PERMITS_VALID_MS;
          w.fullUntil = 0;
        } else if (want > 0 && fromRedis < want) {
          // full: Redis granted less than asked. (A grant that all went to requests admitted while the claim
          // was late leaves no permit but says nothing about room: the next request claims again.)
          w.fullUntil = Math.min(w.resetAt, nowMs + FULL_RECHECK_MS);
        }
        return reply;
      }
    });
  }

  private RequestWindow requestWindow(String scope) {
    RequestWindow w = requestWindows.get(scope);
    return w != null ? w : requestWindows.computeIfAbsent(scope, RequestWindow::new);
  }

  @Override
  public WindowState admitRequest(String scope, long limit, Instant now) {
    long nowMs = now.toEpochMilli();
    RequestWindow w = requestWindow(scope);
    if (link.usable()) {
      long deadline = RedisLink.onPathDeadline();
      while (true) {
        CompletableFuture<List<Object>> claim;
        synchronized (w) {
          WindowState decided = w.take(limit, nowMs);
          if (decided != null) {
            if (decided.admitted()) {
              w.own.add(second(nowMs), 1);
            }
            return decided;
          }
          claim = w.pending;
        }
        if (claim == null || link.await(claim, deadline) == null) {
          break;
        }
      }
    }
    long second = second(nowMs);
    synchronized (w) {
      long used = w.own.total(second);
      if (!link.up()) {
        // Redis away: as if alone, the whole limit, from this instance's own counts.
        if (used + 1 > limit) {
          return new WindowState(false, used, limit, Duration.ofMillis(w.own.untilRoomFor(1, limit, nowMs)));
        }
        w.own.add(second, 1);
        w.unsynced.add(second, 1);
        return new WindowState(true, used + 1, limit, Duration.ofMillis(w.own.untilOldestLeaves(nowMs)));
      }
      // Redis up but late for this request: a permit that landed meanwhile, else a share of what the
      // cluster last had left, so that a moment's slowness on every instance together cannot admit more
      // than that, paid from the late claim's permits when they land.
      WindowState landed = w.take(limit, nowMs);
      if (landed != null) {
        if (landed.admitted()) {
          w.own.add(second, 1);
        }
        return landed;
      }
      long share = Math.max(0, (limit - w.used) / link.instances());
      if (w.debt + w.unsynced.total(second) >= share) {
        return new WindowState(false, Math.max(w.used, limit), limit, Duration.ofMillis(Math.max(0, w.resetAt - nowMs)));
      }
      w.own.add(second, 1);
      if (w.pending != null && !w.pending.isDone()) {
        w.debt++;
      } else {
        w.unsynced.add(second, 1);
      }
      return new WindowState(true, w.used + 1, limit, Duration.ofMillis(Math.max(0, w.resetAt - nowMs)));
    }
  }

  @Override
  public void releaseRequest(String scope, Instant countedAt) {
    RequestWindow w = requestWindows.get(scope);
    if (w != null) {
      synchronized (w) {
        long second = second(countedAt.toEpochMilli());
        w.own.remove(second, 1);
        if (!w.unsynced.isEmpty()) {
          w.unsynced.remove(second, 1);
        } else if (countedAt.toEpochMilli() < w.validUntil) {
          w.available++; // the permit goes back to the allotment for the next request
        }
      }
    }
  }

  @Override
  public WindowState requests(String scope, long limit, Instant now) {
    RequestWindow w = requestWindow(scope);
    long nowMs = now.toEpochMilli();
    synchronized (w) {
      long used = link.usable()
          ? Math.max(0, w.used - (nowMs < w.validUntil ? w.available : 0))
          : w.own.total(second(nowMs));
      return new WindowState(used < limit, used, limit,
          Duration.ofMillis(used < limit ? w.own.untilOldestLeaves(nowMs) : w.own.untilRoomFor(1, limit, nowMs)));
    }
  }

  // ---------------------------------------------------------------- token windows

  /** One scope's token window: the cluster's last total, and what this instance has not sent yet. */
  private static final class TokenWindow {
    final String key;
    final Seconds own = new Seconds();
    final Seconds unsent = new Seconds();
    @Nullable Seconds sending;
    /** The send under way (it also brings back the cluster's total), or null. */
    @Nullable CompletableFuture<?> inflight;
    long sentAt;
    boolean sendScheduled;
    long cluster;
    long clusterAt;
    volatile long touched;

    TokenWindow(String scope) {
      this.key = key(scope, "tokens");
    }

    /** Under the lock: the tokens this instance counts in the window, the cluster's and its own unsent. */
    long used(long second, boolean shared) {
      long mine = own.total(second);
      return !shared || clusterAt == 0 ? mine
          : Math.max(mine, cluster + unsent.total(second) + (sending == null ? 0 : sending.total(second)));
    }
  }

  private TokenWindow tokenWindow(String scope) {
    TokenWindow w = tokenWindows.get(scope);
    return w != null ? w : tokenWindows.computeIfAbsent(scope, TokenWindow::new);
  }

  /**
   * The window as the cluster has it. Far from the limit, the view the background keeps (read again every
   * {@value #REFRESH_MS} ms, and with every send) is enough; from half the limit on, or when this instance
   * has never read the window, a view older than {@value #TOKENS_FRESH_MS} ms is read again on the request's
   * path — within {@link RedisLink#ON_PATH} — so that what the other instances used a moment ago counts.
   */
  @Override
  public WindowState tokens(String scope, long limit, Instant now) {
    TokenWindow w = tokenWindow(scope);
    long nowMs = now.toEpochMilli();
    long second = second(nowMs);
    long real = System.currentTimeMillis();
    w.touched = real;
    if (link.usable()) {
      boolean read;
      synchronized (w) {
        read = w.clusterAt == 0 || (w.used(second, true) * 2 >= limit && real - w.clusterAt >= TOKENS_FRESH_MS);
      }
      if (read) {
        link.await(syncTokens(w, nowMs), RedisLink.onPathDeadline());
      }
    }
    boolean shared = link.up();
    synchronized (w) {
      long used = w.used(second, shared);
      return new WindowState(used < limit, used, limit,
          Duration.ofMillis(used < limit ? w.own.untilOldestLeaves(nowMs) : w.own.untilRoomFor(1, limit, nowMs)));
    }
  }

  @Override
  public void addTokens(String scope, long amount, Instant now) {
    if (amount <= 0) {
      return;
    }
    TokenWindow w = tokenWindow(scope);
    long nowMs = now.toEpochMilli();
    long real = System.currentTimeMillis();
    w.touched = real;
    long wait;
    synchronized (w) {
      w.own.add(second(nowMs), amount);
      w.unsent.add(second(nowMs), amount);
      if (w.sendScheduled || !link.up()) {
        return;
      }
      // Sent soon, without waiting: at once when nothing was sent lately, else once TOKENS_SEND_MS passed,
      // so that a busy window sends a batch per TOKENS_SEND_MS rather than a command per answer.
      wait = w.inflight == null ? Math.max(0, w.sentAt + TOKENS_SEND_MS - real) : TOKENS_SEND_MS;
      w.sendScheduled = true;
    }
    try {
      sync.schedule(() -> {
        synchronized (w) {
          w.sendScheduled = false;
        }
        syncTokens(w, clock.millis());
      }, wait, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // closing: the tokens stay unsent
    }
  }

  /** Sends what is unsent and brings back the cluster's total; the send under way if there is one. */
  private CompletableFuture<?> syncTokens(TokenWindow w, long nowMs) {
    Seconds sending;
    CompletableFuture<@Nullable Object> done = new CompletableFuture<>();
    synchronized (w) {
      if (w.inflight != null) {
        return w.inflight;
      }
      sending = w.unsent.copy();
      w.unsent.clear();
      w.sending = sending;
      w.sentAt = System.currentTimeMillis();
      w.inflight = done;
    }
    List<String> args = new ArrayList<>(List.of(Long.toString(nowMs), Long.toString(Long.MAX_VALUE), "0"));
    args.addAll(sending.asArguments(second(nowMs)));
    link.<List<Object>>eval(Scripts.WINDOW, ScriptOutputType.MULTI, new String[] {w.key}, args.toArray(String[]::new))
        .whenComplete((reply, failure) -> {
          synchronized (w) {
            w.sending = null;
            w.inflight = null;
            if (failure != null || reply == null) {
              w.unsent.addAll(sending);
            } else {
              w.cluster = (Long) reply.get(1);
              w.clusterAt = System.currentTimeMillis();
            }
          }
          if (failure == null) {
            link.answered();
          }
          done.complete(reply);
        });
    return done;
  }

  // ---------------------------------------------------------------- spend

  /** One scope's budget spend: the cluster's last total for the period, and what this instance has not sent. */
  private final class SpendView {
    final String key;
    final String scope;
    long period = Long.MIN_VALUE;
    long cluster;
    long unsent;
    long sending;
    @Nullable String sendingBatch;
    long refreshedAt;
    @Nullable CompletableFuture<List<Object>> inflight;
    volatile long touched;

    SpendView(String scope) {
      this.scope = scope;
      this.key = key(scope, "spend");
    }

    /** Under the lock: moves on to a later period, which starts from zero. */
    void roll(long p) {
      if (p > period) {
        period = p;
        cluster = 0;
        unsent = 0;
        sending = 0;
        sendingBatch = null;
      }
    }

    long total() {
      return cluster + sending + unsent;
    }

    /** Sends what is unsent (or resends an unanswered batch) and brings back the cluster's total. */
    synchronized CompletableFuture<List<Object>> sync(long floor) {
      if (inflight != null && !inflight.isDone()) {
        return inflight;
      }
      if (period == Long.MIN_VALUE) {
        return CompletableFuture.completedFuture(null);
      }
      if (sendingBatch == null && unsent != 0) {
        sending = unsent;
        unsent = 0;
        sendingBatch = key(scope, "batch:" + link.instance() + ":" + batches.incrementAndGet());
      }
      long p = period;
      long delta = sending;
      String[] keys = sendingBatch == null ? new String[] {key} : new String[] {key, sendingBatch};
      CompletableFuture<List<Object>> call = link.eval(Scripts.SPEND, ScriptOutputType.MULTI, keys,
          Long.toString(p), Long.toString(delta), Long.toString(floor));
      CompletableFuture<List<Object>> done = call.handle((reply, failure) -> {
        synchronized (this) {
          if (failure != null || reply == null) {
            return null; // the batch stays, to be sent again under the same id
          }
          long heldPeriod = (Long) reply.get(0);
          roll(heldPeriod);
          if (heldPeriod == period) {
            cluster = (Long) reply.get(1);
            if (p == period) {
              sending = 0;
              sendingBatch = null;
            }
          }
          refreshedAt = System.currentTimeMillis();
          return reply;
        }
      });
      inflight = done;
      return done;
    }
  }

  private SpendView spendView(String scope) {
    SpendView v = spends.get(scope);
    return v != null ? v : spends.computeIfAbsent(scope, SpendView::new);
  }

  @Override
  public long spend(String scope, Instant periodStart) {
    long p = periodStart.toEpochMilli();
    SpendView v = spendView(scope);
    long nowMs = System.currentTimeMillis();
    v.touched = nowMs;
    boolean stale;
    synchronized (v) {
      v.roll(p);
      stale = nowMs - v.refreshedAt > SPEND_STALE_MS;
    }
    if (stale && link.usable()) {
      link.await(v.sync(-1), RedisLink.onPathDeadline());
    }
    synchronized (v) {
      return v.period == p ? v.total() : 0;
    }
  }

  @Override
  public long addSpend(String scope, Instant periodStart, long nanoUsd) {
    long p = periodStart.toEpochMilli();
    SpendView v = spendView(scope);
    v.touched = System.currentTimeMillis();
    synchronized (v) {
      v.roll(p);
      if (v.period != p) {
        return 0; // a request that began in a period already over
      }
      v.unsent += nanoUsd;
      return v.total();
    }
  }

  @Override
  public void seedSpend(String scope, Instant periodStart, long nanoUsd) {
    long p = periodStart.toEpochMilli();
    SpendView v = spendView(scope);
    synchronized (v) {
      v.roll(p);
      if (v.period != p) {
        return;
      }
      v.cluster = Math.max(v.cluster, nanoUsd);
    }
    if (link.up()) {
      v.sync(nanoUsd);
    }
  }

  // ---------------------------------------------------------------- deployments

  /** A deployment's windows, counted like a key's under the scope {@code deployment:<id>}. */
  SharedRouterState.Window deploymentWindow(String deployment, @Nullable Integer rpm, @Nullable Integer tpm) {
    String scope = "deployment:" + deployment;
    return new SharedRouterState.Window() {
      @Override
      public boolean atLimit(long promptTokens) {
        Instant now = clock.instant();
        if (tpm != null) {
          long used = tokens(scope, tpm, now).used();
          if (used > 0 && used + promptTokens > tpm) {
            return true;
          }
        }
        // Counted now rather than in countRequest: the claim and the count must be one step for the
        // cluster's limit to hold. A request then refused by the circuit costs one permit.
        return rpm != null && !admitRequest(scope, rpm, now).admitted();
      }

      @Override
      public void countRequest(long promptTokens) {
        if (tpm != null) {
          addTokens(scope, promptTokens, clock.instant());
        }
      }

      @Override
      public void countTokens(long tokens) {
        if (tpm != null) {
          addTokens(scope, tokens, clock.instant());
        }
      }
    };
  }

  // ---------------------------------------------------------------- background

  private void syncAll() {
    if (!link.up()) {
      return;
    }
    try {
      long nowMs = clock.millis(); // the windows' time
      long real = System.currentTimeMillis(); // when to send and read again
      tokenWindows.values().forEach(w -> {
        boolean due;
        synchronized (w) {
          due = !w.unsent.isEmpty() || (real - w.touched < ACTIVE_MS && real - w.clusterAt >= REFRESH_MS);
        }
        if (due) {
          syncTokens(w, nowMs);
        }
      });
      requestWindows.forEach((scope, w) -> {
        synchronized (w) {
          if (!w.unsynced.isEmpty() && (w.pending == null || w.pending.isDone())) {
            w.pending = claim(w, 0, Long.MAX_VALUE, nowMs);
          }
        }
      });
      spends.values().forEach(v -> {
        boolean due;
        synchronized (v) {
          due = v.unsent != 0 || v.sendingBatch != null
              || (real - v.touched < ACTIVE_MS && real - v.refreshedAt >= REFRESH_MS);
        }
        if (due) {
          v.sync(-1);
        }
      });
    } catch (RuntimeException e) {
      LOG.debug("syncing counters with Redis failed: {}", e.toString());
    }
  }

  /**
   * Redis answers again. When it lost everything (it restarted), each instance writes back its own
   * requests and tokens of the last minute and raises the spends to what it last knew; otherwise the next
   * sync sends what was counted alone.
   */
  private void resync(boolean empty) {
    if (!empty) {
      return;
    }
    requestWindows.values().forEach(w -> {
      synchronized (w) {
        w.unsynced.clear();
        w.unsynced.addAll(w.own);
        w.available = 0;
        w.fullUntil = 0;
      }
    });
    tokenWindows.values().forEach(w -> {
      synchronized (w) {
        w.unsent.clear();
        w.unsent.addAll(w.own);
        w.cluster = 0;
      }
    });
    spends.values().forEach(v -> {
      long floor;
      synchronized (v) {
        floor = v.cluster;
      }
      v.sync(floor);
    });
  }

  /** Stops syncing, after sending what spend this instance has not sent yet (waiting half a second at most). */
  @Override
  public void close() {
    sync.shutdownNow();
    if (link.up()) {
      List<CompletableFuture<List<Object>>> last = new ArrayList<>();
      spends.values().forEach(v -> {
        synchronized (v) {
          if (v.unsent != 0 || v.sendingBatch != null) {
            last.add(v.sync(-1));
          }
        }
      });
      link.await(CompletableFuture.allOf(last.toArray(CompletableFuture[]::new)),
          System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500));
    }
  }
}
