package dev.baton.transport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The time limits of blocking I/O, kept by one daemon thread for the whole process. A blocked read cannot
 * time out by itself, so whatever has a limit is {@linkplain #watch watched}: about every {@value #TICK_MILLIS}
 * ms the watchdog asks it to {@linkplain Watched#check check} its own deadline, and one past it closes
 * (or interrupts) the I/O under its reader, which wakes it.
 *
 * <p>Why not a socket timeout or a timer per limit: a timed read on a virtual thread schedules and cancels
 * a task in the JDK's delay scheduler on every read, which wakes that scheduler's thread twice, and a
 * {@code ScheduledThreadPoolExecutor} takes a lock to add and to cancel each limit. Under load that was
 * 14% of the gateway's CPU ({@code PROFILER=async bench/profile.sh}). Here a limit costs at most a set
 * insertion and removal (an upstream connection is watched from its first exchange until it closes, so an
 * exchange on a pooled one costs only a volatile write), and the limits are enforced to within a tick.
 */
public final class Watchdog {

  /** Something with a time limit of its own: an upstream exchange, a stream, a request body being read. */
  public interface Watched {
    /**
     * Called by the watchdog's thread about every tick, with {@link System#nanoTime()}: acts if the limit
     * has passed. Must be quick and must not throw.
     *
     * @return whether to go on watching it
     */
    boolean check(long now);
  }

  static final long TICK_MILLIS = 10;
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);

  private static final Set<Watched> WATCHED = ConcurrentHashMap.newKeySet();
  /** Set while the thread parks with nothing to watch; a new limit then wakes it. */
  private static volatile boolean resting;
  private static final Thread THREAD = Thread.ofPlatform().daemon().name("baton-watchdog").start(Watchdog::run);

  private Watchdog() {}

  /** Watches {@code watched} until {@link #unwatch} or until its check returns false. */
  public static void watch(Watched watched) {
    WATCHED.add(watched);
    if (resting) {
      LockSupport.unpark(THREAD);
    }
  }

  public static void unwatch(Watched watched) {
    WATCHED.remove(watched);
  }

  private static void run() {
    while (true) {
      if (WATCHED.isEmpty()) {
        resting = true;
        if (WATCHED.isEmpty()) { // a watch() between the first look and the flag would not have woken us
          LockSupport.park();
        }
        resting = false;
        continue;
      }
      LockSupport.parkNanos(TICK_NANOS);
      long now = System.nanoTime();
      for (Watched watched : WATCHED) {
        boolean keep;
        try {
          keep = watched.check(now);
        } catch (RuntimeException e) {
          keep = false; // a broken check must not stop the limits of everything else
        }
        if (!keep) {
          WATCHED.remove(watched);
        }
      }
    }
  }
}
