package dev.baton.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's link to Redis, and the rules that keep Redis off the request path: every command is
 * asynchronous; a request waits for an answer at most {@link #ON_PATH} per call, and not at all once a
 * call timed out or the link is down ({@link #usable()}); a health check every {@value #CHECK_MS} ms
 * decides up and down, logs one warning per outage and one line when Redis is back, reconnects (also when
 * Redis was unreachable at start) and runs the resynchronisations registered with {@link #onUp}.
 *
 * <p>Other instances' events arrive on one pub/sub channel as {@code <instance> <kind> <payload>}; this
 * instance's own are ignored. Handlers run on one thread of their own, never on Lettuce's I/O threads.
 */
final class RedisLink implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

  /** The longest one call on a request's path waits for Redis (a request makes a handful at most). */
  static final Duration ON_PATH = Duration.ofMillis(12);
  /**
   * The longest a request waits for Redis in all, its calls together (contract section 8: 50 ms; the rest is
   * room for the last call's overrun). A gateway serves a request on one thread and marks its start
   * ({@link #requestStarts()}); on a thread that never marked one, each call has its {@link #ON_PATH} alone.
   */
  static final Duration PER_REQUEST = Duration.ofMillis(40);
  /** Per thread: whether a request started on it (1), and how long that request has waited (nanoseconds). */
  private static final ThreadLocal<long[]> WAITED = ThreadLocal.withInitial(() -> new long[2]);
  static final long CHECK_MS = 250;
  private static final Duration PING_TIMEOUT = Duration.ofMillis(500);
  /** Commands that get no answer (a hung server) fail after this, so they do not pile up. */
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
  private static final String CHANNEL = "baton:events";
  private static final String INSTANCES = "baton:instances";
  private static final long INSTANCE_TTL_MS = 5_000;

  private final RedisURI uri;
  private final String where;
  /** A gateway instance sharing its state (counted in {@link #instances()}), not a link for a cache alone. */
  private final boolean member;
  private final String instance = UUID.randomUUID().toString().substring(0, 12);
  private final ClientResources resources;
  private final RedisClient client;
  private final ScheduledExecutorService checker;
  private final ExecutorService handlers;
  private final List<Consumer<Boolean>> onUp = new CopyOnWriteArrayList<>();
  private final Map<String, Consumer<String>> subscribers = new ConcurrentHashMap<>();
  private final Map<String, String> scriptShas = new ConcurrentHashMap<>();
  private volatile @Nullable StatefulRedisConnection<String, String> text;
  private volatile @Nullable StatefulRedisConnection<String, byte[]> bytes;
  private volatile @Nullable StatefulRedisPubSubConnection<String, String> events;
  private volatile boolean up;
  /** A call on a request's path timed out: no request waits again until a health check passes. */
  private volatile boolean suspect;
  private volatile int instances = 1;
  private volatile @Nullable String runId;
  private boolean warned;
  private volatile boolean closing;
  private long ticks;

  /**
   * Connects (waiting up to two seconds for a first answer, so a normal start begins shared) and starts
   * the health check. Never fails because Redis is away: the instance then starts alone.
   *
   * @param member true for a gateway instance sharing its state, which others count among the instances
   *     that share the limits; false for a link that only reads and writes the response cache (an SDK's)
   */
  RedisLink(String url, String where, boolean member) {
    this.uri = RedisURI.create(url);
    this.where = where;
    this.member = member;
    this.resources = ClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(2) // Lettuce's least (it raises a smaller one, and says so)
        .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build();
    this.client = RedisClient.create(resources, uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(100_000)
        .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
        .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(1)).keepAlive(true).build())
        .build());
    // A dropped connection is down at once, not at the next health check.
    client.addListener(new io.lettuce.core.RedisConnectionStateListener() {
      @Override
      public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> connection) {
        if (!closing) {
          wentDown(new IllegalStateException("the connection was lost"));
        }
      }
    });
    this.checker = Executors.newSingleThreadScheduledExecutor(daemon("baton-redis-health"));
    this.handlers = Executors.newSingleThreadExecutor(daemon("baton-redis-events"));
    CompletableFuture<Void> first = CompletableFuture.runAsync(this::check, checker);
    try {
      first.get(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // the check warns itself; the instance goes on alone
    }
    checker.scheduleWithFixedDelay(this::check, CHECK_MS, CHECK_MS, TimeUnit.MILLISECONDS);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** This instance's id in Redis and on the events channel. */
  String instance() {
    return instance;
  }

  /** Where Redis is, with any password hidden. */
  String where() {
    return where;
  }

  /** True while the last health check passed. */
  boolean up() {
    return up;
  }

  /** True when a request may ask Redis now: up, and no call has timed out since the last health check. */
  boolean usable() {
    return up && !suspect;
  }

  /** How many instances share this Redis now (at least 1), from their heartbeats. */
  int instances() {
    return instances;
  }

  /**
   * Runs {@code resync} each time Redis answers after an outage, and at the first connection. It is told
   * whether Redis holds nothing of this instance's (a first connection, or a server that restarted empty:
   * its run id changed), so that this instance writes back what it counted, or only what it counted alone.
   */
  void onUp(Consumer<Boolean> resync) {
    onUp.add(resync);
  }

  /** Receives other instances' events of {@code kind}; handlers run on the events thread. */
  void subscribe(String kind, Consumer<String> handler) {
    subscribers.put(kind, handler);
  }

  /** Tells other instances; dropped when Redis is away (the periodic resyncs are the safety net). */
  void publish(String kind, String payload) {
    StatefulRedisConnection<String, String> c = text;
    if (c != null && up) {
      c.async().publish(CHANNEL, instance + " " + kind + " " + payload);
    }
  }

  /** The text connection's commands, or null when there is none. */
  @Nullable RedisAsyncCommands<String, String> commands() {
    StatefulRedisConnection<String, String> c = text;
    return c == null ? null : c.async();
  }

  /** The binary connection's commands (cache entries), or null when there is none. */
  @Nullable RedisAsyncCommands<String, byte[]> binary() {
    StatefulRedisConnection<String, byte[]> c = bytes;
    return c == null ? null : c.async();
  }

  /**
   * Runs a Lua script by its digest, loading it when the server does not know it (a restarted server).
   * A failed future when there is no connection.
   */
  <T> CompletableFuture<T> eval(String script, ScriptOutputType type, String[] keys, String... args) {
    RedisAsyncCommands<String, String> c = commands();
    if (c == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("no connection to Redis"));
    }
    String sha = scriptShas.computeIfAbsent(script, s -> c.digest(s));
    CompletableFuture<T> byDigest = c.<T>evalsha(sha, type, keys, args).toCompletableFuture();
    return byDigest.exceptionallyCompose(e -> {
      Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause.getMessage() != null && cause.getMessage().startsWith("NOSCRIPT")) {
        return c.<T>eval(script, type, keys, args).toCompletableFuture();
      }
      return CompletableFuture.failedFuture(cause);
    });
  }

  /**
   * Waits for a call on a request's path until {@code deadlineNanos} ({@link System#nanoTime()}) at the
   * latest: its value, or null when it failed or did not answer in time (then requests stop waiting until
   * the next health check passes). The wait counts against the request's budget ({@link #PER_REQUEST}).
   */
  <T> @Nullable T await(CompletionStage<T> call, long deadlineNanos) {
    long start = System.nanoTime();
    long left = deadlineNanos - start;
    CompletableFuture<T> f = call.toCompletableFuture();
    if (left <= 0 || f.isDone()) {
      try {
        return f.getNow(null);
      } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
        return null;
      }
    }
    try {
      return f.get(left, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // A call given (most of) ON_PATH and still unanswered says Redis is hung or far too slow; one cut
      // short by the budget says only that this request has waited enough.
      if (left >= ON_PATH.toNanos() / 2) {
        suspect = true;
      }
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | java.util.concurrent.CancellationException e) {
      return null;
    } finally {
      WAITED.get()[1] += System.nanoTime() - start;
    }
  }

  /** A call answered: requests may wait for Redis again (a timed-out call stopped them). */
  void answered() {
    suspect = false;
  }

  /** A request starts on this thread: its calls to Redis share {@link #PER_REQUEST} from now on. */
  static void requestStarts() {
    long[] waited = WAITED.get();
    waited[0] = 1;
    waited[1] = 0;
  }

  /** How long the request on this thread has waited for Redis so far, its calls together. */
  static Duration waitedThisRequest() {
    return Duration.ofNanos(WAITED.get()[1]);
  }

  /**
   * A deadline for {@link #await} on a request's path: {@link #ON_PATH} from now, or less when the request
   * has nearly used its budget ({@link #PER_REQUEST}); now when it has used all of it.
   */
  static long onPathDeadline() {
    long now = System.nanoTime();
    long[] waited = WAITED.get();
    long left = waited[0] == 0 ? ON_PATH.toNanos() : Math.min(ON_PATH.toNanos(), PER_REQUEST.toNanos() - waited[1]);
    return now + Math.max(0, left);
  }

  private void check() {
    try {
      if (text == null && !connect()) {
        return;
      }
      StatefulRedisConnection<String, String> c = text;
      if (c == null) {
        return;
      }
      c.async().ping().get(PING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (member && (ticks++ % 4 == 0 || !up)) {
        heartbeat(c);
      }
      suspect = false;
      if (!up) {
        cameUp(c);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      wentDown(e);
    }
  }

  private boolean connect() {
    StatefulRedisConnection<String, String> t = null;
    StatefulRedisConnection<String, byte[]> b = null;
    StatefulRedisPubSubConnection<String, String> p = null;
    try {
      t = client.connect(StringCodec.UTF8);
      b = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
      p = client.connectPubSub(StringCodec.UTF8);
      p.addListener(new RedisPubSubAdapter<>() {
        @Override
        public void message(String channel, String message) {
          handlers.execute(() -> deliver(message));
        }
      });
      p.sync().subscribe(CHANNEL);
      text = t;
      bytes = b;
      events = p;
      return true;
    } catch (RuntimeException e) {
      closeQuietly(t);
      closeQuietly(b);
      closeQuietly(p);
      wentDown(e);
      return false;
    }
  }

  private void heartbeat(StatefulRedisConnection<String, String> c) throws Exception {
    long now = System.currentTimeMillis();
    var commands = c.async();
    commands.zadd(INSTANCES, now, instance);
    commands.zremrangebyscore(INSTANCES, io.lettuce.core.Range.create(0, now - INSTANCE_TTL_MS));
    Long live = commands.zcard(INSTANCES).get(PING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    instances = live == null ? 1 : (int) Math.max(1, live);
  }

  private synchronized void cameUp(StatefulRedisConnection<String, String> c) throws Exception {
    String info = c.async().info("server").get(PING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    String run = info == null ? null : info.lines().filter(l -> l.startsWith("run_id:")).findFirst()
        .map(l -> l.substring(7).strip()).orElse(null);
    boolean restarted = runId != null && !runId.equals(run);
    boolean empty = runId == null || restarted;
    runId = run;
    up = true;
    if (warned) {
      LOG.info("Redis at {} answers again{}: sharing state with the other instances once more", where,
          restarted ? " (it restarted empty; this instance's counts are written back)" : "");
      warned = false;
    } else if (member) {
      LOG.info("sharing state with the other instances through Redis at {}", where);
    } else {
      LOG.info("keeping the response cache in Redis at {}", where);
    }
    for (Consumer<Boolean> resync : onUp) {
      handlers.execute(() -> {
        try {
          resync.accept(empty);
        } catch (RuntimeException e) {
          LOG.debug("resynchronising after Redis came back failed: {}", e.toString());
        }
      });
    }
  }

  private synchronized void wentDown(Exception e) {
    up = false;
    if (!warned) {
      warned = true;
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      LOG.warn("Redis at {} does not answer ({}): {}, and reconnects by itself", where,
          cause instanceof TimeoutException ? "no answer within " + PING_TIMEOUT.toMillis() + " ms"
              : String.valueOf(cause.getMessage()).lines().findFirst().orElse("?"),
          member ? "this instance goes on alone with its own limits, budgets and circuits"
              : "every cache lookup is a miss meanwhile");
    }
  }

  private void deliver(String message) {
    int first = message.indexOf(' ');
    int second = first < 0 ? -1 : message.indexOf(' ', first + 1);
    if (second < 0 || message.startsWith(instance + " ")) {
      return;
    }
    Consumer<String> handler = subscribers.get(message.substring(first + 1, second));
    if (handler != null) {
      try {
        handler.accept(message.substring(second + 1));
      } catch (RuntimeException e) {
        LOG.debug("handling a Redis event failed: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    closing = true;
    checker.shutdownNow();
    handlers.shutdownNow();
    StatefulRedisConnection<String, String> c = text;
    if (c != null && up && member) {
      c.async().zrem(INSTANCES, instance);
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(1)); // closes every connection
    resources.shutdown(0, 1, TimeUnit.SECONDS);
  }

  private static void closeQuietly(io.lettuce.core.api.@Nullable StatefulConnection<?, ?> connection) {
    if (connection != null) {
      try {
        connection.closeAsync();
      } catch (RuntimeException ignored) {
        // closing anyway
      }
    }
  }
}
