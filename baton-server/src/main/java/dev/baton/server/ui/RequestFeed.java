package dev.baton.server.ui;

import dev.baton.store.RequestRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The request log as it happens, for the UI's Requests page: each finished request's row, sent as a
 * server-sent event ({@code event: request}) to every open {@code GET /admin/events} the moment the
 * request is over — before the row reaches the database. Publishing takes no lock: it adds the row to each
 * listener's bounded queue (a listener that has fallen {@link #QUEUE} rows behind loses the newest, so a slow
 * browser never slows a request) and wakes its thread; the row becomes JSON on that thread.
 */
final class RequestFeed {

  static final int MAX_LISTENERS = 64;
  static final int QUEUE = 1024;
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  /** One open stream: its rows waiting, how many, and the thread that writes them. */
  private static final class Listener {
    final Queue<RequestRecord> rows = new ConcurrentLinkedQueue<>();
    final AtomicInteger waiting = new AtomicInteger();
    final Thread thread = Thread.currentThread();
  }

  private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
  private final Function<RequestRecord, String> json;
  private volatile boolean closed;

  /** @param json a row as {@code /admin/requests} writes it */
  RequestFeed(Function<RequestRecord, String> json) {
    this.json = json;
  }

  void publish(RequestRecord row) {
    for (Listener listener : listeners) {
      if (listener.waiting.incrementAndGet() <= QUEUE) {
        listener.rows.offer(row);
        LockSupport.unpark(listener.thread);
      } else {
        listener.waiting.decrementAndGet();
      }
    }
  }

  /** Whether another listener may join now. */
  boolean full() {
    return listeners.size() >= MAX_LISTENERS;
  }

  /**
   * Writes events to {@code out} on the calling thread until the listener goes away (a write fails) or the
   * feed closes: each row as it is published, and a comment after {@link #KEEP_ALIVE} of silence so proxies
   * and the browser keep the connection.
   */
  void listen(OutputStream out) throws IOException {
    Listener listener = new Listener();
    listeners.add(listener);
    try {
      // How soon the browser reconnects after losing the stream.
      write(out, "retry: 2000\n\n");
      long lastWrite = System.nanoTime();
      while (!closed && !Thread.currentThread().isInterrupted()) {
        StringBuilder events = new StringBuilder();
        for (RequestRecord row = listener.rows.poll(); row != null; row = listener.rows.poll()) {
          listener.waiting.decrementAndGet();
          events.append("event: request\ndata: ").append(json.apply(row.withoutContent())).append("\n\n");
        }
        if (!events.isEmpty()) {
          write(out, events.toString());
          lastWrite = System.nanoTime();
        } else if (System.nanoTime() - lastWrite >= KEEP_ALIVE.toNanos()) {
          write(out, ": keep-alive\n\n");
          lastWrite = System.nanoTime();
        } else {
          LockSupport.parkNanos(this, KEEP_ALIVE.toNanos() - (System.nanoTime() - lastWrite));
        }
      }
    } finally {
      listeners.remove(listener);
    }
  }

  private static void write(OutputStream out, String events) throws IOException {
    out.write(events.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Ends every open stream (the gateway is stopping), so none holds up the shutdown. */
  void close() {
    closed = true;
    listeners.forEach(listener -> LockSupport.unpark(listener.thread));
  }
}
