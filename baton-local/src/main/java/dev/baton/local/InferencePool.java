package dev.baton.local;

import dev.baton.ServerErrorException;
import dev.baton.UpstreamException;
import dev.baton.UpstreamTimeoutException.Phase;
import dev.baton.provider.Call;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deployment's inference threads: a fixed number of platform threads, so at most that many inferences
 * run at once, and later ones wait their turn in order. Callers wait with their own deadline and stop
 * waiting when it passes; work that has not started by then never runs. Native inference runs here and
 * not on the caller's thread: a virtual thread blocked in native code would hold its carrier, and with it
 * a share of every other request's CPU.
 */
public final class InferencePool implements AutoCloseable {

  private final ThreadPoolExecutor executor;
  private final int size;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();

  /**
   * @param name names the threads, for thread dumps
   * @param size how many inferences may run at once
   */
  public InferencePool(String name, int size) {
    this.size = size;
    AtomicInteger count = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(size, size, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        work -> {
          Thread thread = new Thread(work, name + "-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  /** Queues work; it runs when one of the pool's threads is free. */
  public <T> Future<T> submit(Callable<T> work) {
    return executor.submit(() -> {
      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        return work.call();
      } finally {
        running.decrementAndGet();
      }
    });
  }

  /**
   * The result of queued work, waiting until {@code deadline} at most. When the deadline passes first the
   * work is withdrawn (if it has not started, it never will) and the attempt fails with the timeout of
   * {@code phase}; a failure of the work itself is rethrown as the {@link UpstreamException} it was, or
   * as a server error.
   */
  public static <T> T await(Future<T> future, Call call, long deadline, Phase phase) {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw call.timedOut(phase, deadline);
    } catch (InterruptedException e) {
      future.cancel(false);
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for local inference");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UpstreamException upstream) {
        throw upstream;
      }
      throw new ServerErrorException(call.source(), "local inference failed: " + cause, cause);
    }
  }

  /** How many inferences may run at once. */
  public int size() {
    return size;
  }

  /** How many inferences are running now. */
  public int running() {
    return running.get();
  }

  /** The most inferences that ever ran at once. */
  public int peak() {
    return peak.get();
  }

  /** How many are waiting for a thread. */
  public int waiting() {
    return executor.getQueue().size();
  }

  /** Withdraws waiting work and waits up to {@code grace} seconds for running work to end. */
  public boolean close(int grace) {
    executor.shutdownNow();
    try {
      return executor.awaitTermination(grace, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    close(5);
  }
}
