package dev.baton.server.pipeline;

import dev.baton.transport.Watchdog;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request body's limits: more than {@code server.max_body} bytes is a 413 — decided from
 * {@code Content-Length} before anything is read, or while reading a body of unknown length — and a body
 * must arrive within {@code server.read_timeout}, or its connection is cut (408). The body itself is read
 * later, by the front door through {@link Exchange#body()}, once the caller is authenticated.
 */
public final class BodyLimit implements Filter, Exchange.BodySource {

  private static final byte[] EMPTY = new byte[0];

  private final long maxBody;
  private final Duration readTimeout;
  private final long readTimeoutNanos;

  public BodyLimit(long maxBody, Duration readTimeout) {
    this.maxBody = maxBody;
    this.readTimeout = readTimeout;
    this.readTimeoutNanos = readTimeout.toNanos();
  }

  @Override
  public void handle(Exchange exchange, Chain chain) {
    OptionalLong declared = exchange.http().contentLength();
    if (declared.isPresent() && declared.getAsLong() > maxBody) {
      throw GatewayError.bodyTooLarge(maxBody);
    }
    exchange.bodySource(this);
    chain.proceed();
  }

  /**
   * Reads the body, refusing more than {@code max_body} bytes without reading the rest of it. Helidon
   * applies no read timeout to the connections it accepts, and a client that never finishes its body
   * would hold its thread forever: the {@link Watchdog} interrupts a read past its deadline, and
   * interrupting a virtual thread blocked in channel I/O closes the channel, so the slow client loses its
   * connection and the thread is free.
   */
  @Override
  public byte[] read(HttpCall http) throws IOException {
    OptionalLong declared = http.contentLength();
    if (declared.isPresent() && declared.getAsLong() > maxBody) {
      throw GatewayError.bodyTooLarge(maxBody);
    }
    if (!http.hasBody()) {
      return EMPTY;
    }
    InputStream in = http.body();
    BodyRead current = BodyRead.ofThisThread();
    current.start(System.nanoTime() + readTimeoutNanos);
    byte[] body;
    try {
      if (declared.isPresent()) {
        // The usual case: read exactly the declared length into one array of that size.
        int length = (int) declared.getAsLong();
        body = new byte[length];
        int n = in.readNBytes(body, 0, length);
        // Reading the end too marks the entity consumed; otherwise Helidon drains it after the handler
        // with a buffer of its own, allocated for every request.
        in.read();
        return n == length ? body : Arrays.copyOf(body, n);
      }
      body = in.readNBytes((int) Math.min(maxBody + 1, Integer.MAX_VALUE - 16));
    } catch (IOException | RuntimeException e) {
      if (!current.reading()) {
        throw GatewayError.slowClient(readTimeout);
      }
      throw e;
    } finally {
      current.finish();
    }
    if (body.length > maxBody) {
      throw GatewayError.bodyTooLarge(maxBody);
    }
    return body;
  }

  /**
   * The body reads of one connection's thread, one at a time: the deadline of the read under way, and
   * whether the watchdog has cut it off. Helidon serves each connection on a thread of its own, so each
   * such thread is watched from its first body read until it ends: a read costs a few writes here instead
   * of an addition to and a removal from the watchdog's set.
   */
  private static final class BodyRead implements Watchdog.Watched {
    // The state is a read's number times four plus its phase, so the watchdog can claim only the read
    // whose deadline it looked at, never the next one on the same connection.
    private static final long IDLE = 0;
    private static final long READING = 1;
    private static final long CLAIMED = 2;
    private static final long INTERRUPTED = 3;
    private static final long PHASE = 3;
    private static final ThreadLocal<BodyRead> OF_THREAD = ThreadLocal.withInitial(() -> {
      BodyRead read = new BodyRead(Thread.currentThread());
      Watchdog.watch(read);
      return read;
    });

    private final Thread thread;
    private final AtomicLong state = new AtomicLong(IDLE);
    /** Written before the state says {@link #READING}, so a look that sees a read sees its deadline. */
    private volatile long deadline;

    private BodyRead(Thread thread) {
      this.thread = thread;
    }

    static BodyRead ofThisThread() {
      return OF_THREAD.get();
    }

    void start(long deadline) {
      this.deadline = deadline;
      state.set((state.get() & ~PHASE) + 4 + READING);
    }

    boolean reading() {
      return (state.get() & PHASE) == READING;
    }

    void finish() {
      long s = state.get();
      if ((s & PHASE) == READING && state.compareAndSet(s, s - READING + IDLE)) {
        return;
      }
      // The watchdog claimed this read: wait until its interrupt has landed, then clear it before the
      // thread serves anything else.
      while ((state.get() & PHASE) != INTERRUPTED) {
        Thread.onSpinWait();
      }
      Thread.interrupted();
      state.set(state.get() - INTERRUPTED + IDLE);
    }

    /** Interrupts a read past its deadline, unless it has just finished; lets go once the thread has ended. */
    @Override
    public boolean check(long now) {
      long s = state.get();
      if ((s & PHASE) == READING && now - deadline >= 0 && state.compareAndSet(s, s - READING + CLAIMED)) {
        thread.interrupt();
        state.set(s - READING + INTERRUPTED);
      }
      return thread.isAlive();
    }
  }
}
