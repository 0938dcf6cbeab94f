package dev.baton.store.spend;

import dev.baton.store.RequestRecord;
import dev.baton.store.Store;
import dev.baton.store.StoreException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spend and request log, written behind: {@link #record} only queues a row (it never blocks, never
 * fails, never touches the database), and a writer thread writes the queue in batches every
 * {@code flushEvery} (500 ms by default, so a row is visible well within 5 s).
 *
 * <p>When the database is away the rows go to the {@link Journal} under {@code data_dir} instead, fsync'd
 * per batch, and {@link #databaseUp()} turns false; a health probe runs every 2 s (on its own thread, so a
 * write hung on a dead connection does not hold it up), so the state flips within a few seconds either
 * way. Once the database answers again the journal is replayed — before any newer row — and deleted.
 * Every row has an id made with its request and the store skips ids it already has, so a row is written
 * exactly once across outages, replays cut short and restarts; {@link #replayJournal()} at start picks up
 * a journal an earlier process left.
 */
public final class SpendLog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SpendLog.class);
  private static final int BATCH = 1000;
  private static final Duration PROBE_EVERY = Duration.ofSeconds(2);

  private final Store store;
  private final Journal journal;
  private final boolean storeContent;
  private final ConcurrentLinkedQueue<RequestRecord> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final ReentrantLock writing = new ReentrantLock();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong journaled = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private volatile boolean up = true;
  private volatile @Nullable List<RequestRecord> inFlight;
  private volatile boolean closed;
  private @Nullable ScheduledExecutorService threads;

  /**
   * @param journalFile the journal, such as {@code data_dir/spend-journal.jsonl}
   * @param storeContent {@code logging.store_content}: without it, rows lose their prompt and answer here,
   *     before they are queued, journaled or written
   */
  public SpendLog(Store store, Path journalFile, boolean storeContent) {
    this.store = store;
    this.journal = new Journal(journalFile);
    this.storeContent = storeContent;
  }

  /** Starts the writer and the health probe. */
  public synchronized void start(Duration flushEvery) {
    if (threads != null) {
      return;
    }
    threads = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "baton-spend-log");
      t.setDaemon(true);
      return t;
    });
    threads.scheduleWithFixedDelay(this::writeQuietly, flushEvery.toMillis(), flushEvery.toMillis(), TimeUnit.MILLISECONDS);
    threads.scheduleWithFixedDelay(this::probe, PROBE_EVERY.toMillis(), PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Queues a row; returns at once, whatever the database's state. */
  public void record(RequestRecord row) {
    queue.add(storeContent ? row : row.withoutContent());
    queued.incrementAndGet();
  }

  /** False from a failed write or probe until the database answers again: {@code /health}'s {@code database}. */
  public boolean databaseUp() {
    return up;
  }

  /**
   * Reads the database together with the rows not yet written to it: {@code read} gets the rows queued now
   * and runs while no batch is being written, so each row is in the database or in that list — never both,
   * never neither (rows journaled while the database is away aside: those wait for it to return).
   */
  public <T> T readWithUnwritten(Function<List<RequestRecord>, T> read) {
    writing.lock();
    try {
      return read.apply(List.copyOf(queue));
    } finally {
      writing.unlock();
    }
  }

  /** Rows queued and not yet written or journaled. */
  public int pending() {
    return queued.get();
  }

  /** Rows written to the database, journaled, and replayed from the journal, since start. */
  public Stats stats() {
    return new Stats(written.get(), journaled.get(), replayed.get(), queued.get(), !journal.isEmpty());
  }

  /** Counts since start; {@code journalWaiting} while rows wait in the journal for the database. */
  public record Stats(long written, long journaled, long replayed, int pending, boolean journalWaiting) {}

  /**
   * Replays a journal left by an earlier run or outage; call at start, before seeding budgets from the
   * database, so their spend counts. Throws {@link StoreException} when the database fails meanwhile.
   */
  public int replayJournal() {
    writing.lock();
    try {
      int n = 0;
      while (!journal.isEmpty()) {
        n += journal.replay(BATCH, rows -> {
          store.insertRequests(rows);
          replayed.addAndGet(rows.size());
        });
      }
      if (n > 0) {
        LOG.info("replayed {} request-log rows from the journal {} into {}", n, journal.file(), store.describe());
      }
      return n;
    } finally {
      writing.unlock();
    }
  }

  /** Writes everything queued now, to the database or the journal, before returning. */
  public void flush() {
    writing.lock();
    try {
      do {
        writeBatch();
      } while (!queue.isEmpty());
    } finally {
      writing.unlock();
    }
  }

  private void writeQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.error("the spend log's writer failed: {}", e.toString());
    }
  }

  /** One batch: replay first if the journal holds rows; the database while it is up, else the journal. */
  private void writeBatch() {
    if (up && !journal.isEmpty()) {
      try {
        replayJournal();
      } catch (StoreException | UncheckedIOException e) {
        markDown(e);
      }
    }
    List<RequestRecord> batch = drain();
    if (batch.isEmpty()) {
      return;
    }
    inFlight = batch;
    try {
      if (up && journal.isEmpty()) {
        try {
          store.insertRequests(batch);
          written.addAndGet(batch.size());
          return;
        } catch (StoreException e) {
          markDown(e);
        }
      }
      journal.append(batch);
      journaled.addAndGet(batch.size());
    } finally {
      inFlight = null;
    }
  }

  private List<RequestRecord> drain() {
    List<RequestRecord> batch = new ArrayList<>();
    RequestRecord r;
    while (batch.size() < BATCH && (r = queue.poll()) != null) {
      batch.add(r);
      queued.decrementAndGet();
    }
    return batch;
  }

  /** Every 2 s: is the database there? Down is noticed even while no request is made; up ends the outage. */
  void probe() {
    try {
      store.ping();
      if (!up) {
        up = true;
        LOG.warn("the database {} is reachable again; replaying the spend journal", store.describe());
      }
    } catch (StoreException e) {
      markDown(e);
    } catch (RuntimeException e) {
      LOG.debug("the database probe failed: {}", e.toString());
    }
  }

  private void markDown(RuntimeException e) {
    if (up) {
      up = false;
      LOG.warn("the database is unreachable; request-log rows go to the journal {} until it is back: {}",
          journal.file(), e.getMessage());
    }
  }

  /**
   * Stops, writing what is queued first: to the database if it takes it within {@code grace}, else to the
   * journal (a row in both is written once when the journal is replayed).
   */
  public void close(Duration grace) {
    if (closed) {
      return;
    }
    closed = true;
    ScheduledExecutorService t;
    synchronized (this) {
      t = threads;
      threads = null;
    }
    if (t != null) {
      t.shutdown();
    }
    Thread finalFlush = Thread.ofPlatform().name("baton-spend-log-flush").daemon().start(this::writeQuietly);
    try {
      finalFlush.join(grace.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (finalFlush.isAlive()) {
      // The database hangs: put the batch being written and everything still queued in the journal.
      List<RequestRecord> rest = new ArrayList<>();
      List<RequestRecord> stuck = inFlight;
      if (stuck != null) {
        rest.addAll(stuck);
      }
      rest.addAll(drain());
      journal.append(rest);
      journaled.addAndGet(rest.size());
      LOG.warn("the database did not take the last request-log rows within {} ms; {} rows kept in the journal {}",
          grace.toMillis(), rest.size(), journal.file());
    }
    if (t != null) {
      t.shutdownNow();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
