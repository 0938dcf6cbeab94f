package dev.baton.server.ui;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts over time in fixed steps, for the admin UI's charts: a ring of buckets, each with a count, errors,
 * fallbacks, spend, tokens and a latency histogram. Adding takes no lock: a bucket whose step has passed
 * is replaced by a fresh one with a compare-and-set, and its counters are adders. Reading sums the buckets
 * of a span of steps, or gives them one by one for a chart.
 */
final class Traffic {

  private final int stepSeconds;
  private final AtomicReferenceArray<Bucket> ring;

  /** @param slots how many steps are kept: the longest span that can be read */
  Traffic(int stepSeconds, int slots) {
    this.stepSeconds = stepSeconds;
    this.ring = new AtomicReferenceArray<>(slots);
  }

  int stepSeconds() {
    return stepSeconds;
  }

  int slots() {
    return ring.length();
  }

  /** Counts one event at {@code epochSecond}. */
  void add(long epochSecond, boolean error, boolean fallback, double costUsd, long inputTokens, long outputTokens,
      long latencyMs) {
    Bucket b = bucket(epochSecond / stepSeconds);
    b.count.increment();
    if (error) {
      b.errors.increment();
    }
    if (fallback) {
      b.fallbacks.increment();
    }
    if (costUsd != 0) {
      b.spendUsd.add(costUsd);
    }
    if (inputTokens != 0) {
      b.inputTokens.add(inputTokens);
    }
    if (outputTokens != 0) {
      b.outputTokens.add(outputTokens);
    }
    b.latency.incrementAndGet(Latency.bin(latencyMs));
  }

  private Bucket bucket(long step) {
    int slot = (int) Math.floorMod(step, (long) ring.length());
    while (true) {
      Bucket b = ring.get(slot);
      if (b != null && b.step >= step) {
        // The current one, or (for an event from a step ago that arrives late) one that already moved on:
        // counting it in the newer step is better than losing it.
        return b;
      }
      Bucket fresh = new Bucket(step);
      if (ring.compareAndSet(slot, b, fresh)) {
        return fresh;
      }
    }
  }

  /** The bucket of step {@code step} if it is still held, else null (nothing happened then, or too long ago). */
  Bucket at(long step) {
    Bucket b = ring.get((int) Math.floorMod(step, (long) ring.length()));
    return b != null && b.step == step ? b : null;
  }

  /** The sums over the steps {@code from} to {@code to}, both included. */
  Sum sum(long fromStep, long toStep) {
    Sum sum = new Sum();
    for (long step = fromStep; step <= toStep; step++) {
      Bucket b = at(step);
      if (b != null) {
        sum.add(b);
      }
    }
    return sum;
  }

  /** One step's counters. */
  static final class Bucket {
    final long step;
    final LongAdder count = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder fallbacks = new LongAdder();
    final LongAdder inputTokens = new LongAdder();
    final LongAdder outputTokens = new LongAdder();
    final DoubleAdder spendUsd = new DoubleAdder();
    final AtomicLongArray latency = new AtomicLongArray(Latency.BINS);

    Bucket(long step) {
      this.step = step;
    }
  }

  /** Counters added up over several steps. */
  static final class Sum {
    long count;
    long errors;
    long fallbacks;
    long inputTokens;
    long outputTokens;
    double spendUsd;
    final long[] latency = new long[Latency.BINS];

    void add(Bucket b) {
      count += b.count.sum();
      errors += b.errors.sum();
      fallbacks += b.fallbacks.sum();
      inputTokens += b.inputTokens.sum();
      outputTokens += b.outputTokens.sum();
      spendUsd += b.spendUsd.sum();
      for (int i = 0; i < latency.length; i++) {
        latency[i] += b.latency.get(i);
      }
    }

    /** The latency below which {@code fraction} of the events fell, in milliseconds; null when there were none. */
    Double percentile(double fraction) {
      return Latency.percentile(latency, fraction);
    }
  }

  /**
   * Latencies in logarithmic bins, each 20% wider than the one before ({@code [1.2^(i-1), 1.2^i)} ms), so a
   * percentile read from them is within 10% of the truth from 1 ms to hours, in 100 counters.
   */
  static final class Latency {
    static final int BINS = 100;
    private static final double GROWTH = 1.2;
    private static final double LOG_GROWTH = Math.log(GROWTH);

    private Latency() {}

    static int bin(long ms) {
      if (ms < 1) {
        return 0;
      }
      return Math.min(BINS - 1, 1 + (int) (Math.log(ms) / LOG_GROWTH));
    }

    /** A value that stands for bin {@code i}: the middle of the whole milliseconds it holds. */
    static double value(int bin) {
      if (bin == 0) {
        return 0;
      }
      double low = Math.ceil(Math.pow(GROWTH, bin - 1));
      double high = Math.max(low, Math.ceil(Math.pow(GROWTH, bin)) - 1);
      return (low + high) / 2;
    }

    static Double percentile(long[] bins, double fraction) {
      long total = 0;
      for (long n : bins) {
        total += n;
      }
      if (total == 0) {
        return null;
      }
      long rank = Math.max(1, (long) Math.ceil(fraction * total));
      long seen = 0;
      for (int i = 0; i < bins.length; i++) {
        seen += bins[i];
        if (seen >= rank) {
          return value(i);
        }
      }
      return value(bins.length - 1);
    }
  }
}
