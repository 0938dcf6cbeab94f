package dev.baton.server.ui;

import dev.baton.store.RequestRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The request log as it happens, for the UI's Requests page: each finished request's row, sent as a
 * server-sent event ({@code event: request}) to every open {@code GET /admin/events} the moment the
 * request is over — before the row reaches the database. Publishing only offers the row to each
 * listener's bounded queue (a slow browser loses rows, never slows a request); the row becomes JSON on
 * the listener's own thread.
 */
final class RequestFeed {

  static final int MAX_LISTENERS = 64;
  static final int QUEUE = 1024;
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final Object END = new Object();

  private final Set<BlockingQueue<Object>> listeners = ConcurrentHashMap.newKeySet();
  private final Function<RequestRecord, String> json;
  private volatile boolean closed;

  /** @param json a row as {@code /admin/requests} writes it */
  RequestFeed(Function<RequestRecord, String> json) {
    this.json = json;
  }

  void publish(RequestRecord row) {
    for (BlockingQueue<Object> queue : listeners) {
      queue.offer(row);
    }
  }

  /** Whether another listener may join now. */
  boolean full() {
    return listeners.size() >= MAX_LISTENERS;
  }

  /**
   * Writes events to {@code out} until the listener goes away or the feed closes: each row as it is
   * published, and a comment every {@link #KEEP_ALIVE} so proxies and the browser keep the connection.
   */
  void listen(OutputStream out) throws IOException {
    BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
    listeners.add(queue);
    try {
      // How soon the browser reconnects after losing the stream.
      write(out, "retry: 2000\n\n");
      while (!closed) {
        Object next = queue.poll(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
          write(out, ": keep-alive\n\n");
        } else if (next instanceof RequestRecord row) {
          write(out, "event: request\ndata: " + json.apply(row.withoutContent()) + "\n\n");
        } else {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      listeners.remove(queue);
    }
  }

  private static void write(OutputStream out, String event) throws IOException {
    out.write(event.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Ends every open stream (the gateway is stopping), so none holds up the shutdown. */
  void close() {
    closed = true;
    for (BlockingQueue<Object> queue : listeners) {
      queue.clear();
      queue.offer(END);
    }
  }
}
