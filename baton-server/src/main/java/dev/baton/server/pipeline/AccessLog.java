package dev.baton.server.pipeline;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The access log: one line per request once it is over, written behind the requests. A request only
 * queues its line (lock-free); one thread formats and writes the lines, a few milliseconds later, so no
 * request waits on stderr or its lock. If the writer falls more than {@value #MAX_QUEUED} lines behind,
 * lines are dropped and counted, and the count is logged.
 */
public final class AccessLog implements Filter, AutoCloseable {

  /** One request's line. */
  record Line(String method, String route, int status, @Nullable String model, @Nullable String servedBy,
      int attempts, long nanos, @Nullable String error, @Nullable String requestId, @Nullable CacheStatus cache) {

    Line(String method, String route, int status, @Nullable String model, @Nullable String servedBy,
        int attempts, long nanos, @Nullable String error) {
      this(method, route, status, model, servedBy, attempts, nanos, error, null, null);
    }
  }

  private static final int MAX_QUEUED = 65_536;
  private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final Logger log;
  private final ConcurrentLinkedQueue<Line> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final @Nullable Thread writer;
  private volatile boolean closed;

  /** Writes to {@code log} at info level; nothing is queued, nor a thread started, when that level is off. */
  public AccessLog(Logger log) {
    this.log = log;
    this.writer = log.isInfoEnabled()
        ? Thread.ofPlatform().daemon().name("baton-access-log").start(this::write)
        : null;
  }

  @Override
  public void handle(Exchange exchange, Chain chain) {
    chain.proceed();
    if (enabled()) {
      add(new Line(exchange.method(), exchange.route(), exchange.status(), exchange.model(), exchange.servedBy(),
          exchange.upstreamAttempts(), exchange.elapsedNanos(), exchange.error(), exchange.requestId(),
          exchange.cache()));
    }
  }

  boolean enabled() {
    return writer != null && log.isInfoEnabled();
  }

  void add(Line line) {
    if (queued.incrementAndGet() > MAX_QUEUED) {
      queued.decrementAndGet();
      dropped.incrementAndGet();
      return;
    }
    queue.offer(line);
  }

  private void write() {
    StringBuilder text = new StringBuilder(200);
    while (true) {
      Line l = queue.poll();
      if (l == null) {
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
          log.warn("{} access lines were dropped: the log could not keep up", lost);
        }
        if (closed) {
          return;
        }
        LockSupport.parkNanos(IDLE_WAIT_NANOS);
        continue;
      }
      queued.decrementAndGet();
      try {
        log.info(format(l, text));
      } catch (RuntimeException e) {
        // A broken log must not stop the writer.
      }
    }
  }

  /**
   * The line's text, built here rather than by a {@code {}} pattern, which would box the numbers and
   * scan the pattern for every line.
   */
  static String format(Line l, StringBuilder text) {
    text.setLength(0);
    text.append(l.method).append(' ').append(l.route).append(' ').append(l.status)
        .append(" model=").append(l.model == null ? "-" : l.model)
        .append(" served_by=").append(l.servedBy == null ? "-" : l.servedBy)
        .append(" attempts=").append(l.attempts)
        .append(" latency=").append(TimeUnit.NANOSECONDS.toMillis(l.nanos)).append("ms");
    if (l.cache != null) {
      text.append(" cache=").append(l.cache.header());
    }
    if (l.requestId != null) {
      text.append(" request_id=").append(l.requestId);
    }
    if (l.error != null) {
      text.append(" error=").append(l.error);
    }
    return text.toString();
  }

  /** Writes what is queued, then stops. */
  @Override
  public void close() {
    closed = true;
    if (writer != null) {
      LockSupport.unpark(writer);
      try {
        writer.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
