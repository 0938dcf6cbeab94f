package dev.baton.store.limits;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** {@link LimitCounters} in this instance's memory: limits enforced as if it were the only instance. */
public final class LocalCounters implements LimitCounters {

  private final ConcurrentHashMap<String, SlidingWindow> requests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, SlidingWindow> tokens = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, PeriodSpend> spend = new ConcurrentHashMap<>();

  /** One period's spend; replaced, not reset, when a later period starts. */
  private record PeriodSpend(long periodStart, AtomicLong nanoUsd) {}

  @Override
  public WindowState admitRequest(String scope, long limit, Instant now) {
    return window(requests, scope).add(1, limit, now.toEpochMilli(), false);
  }

  @Override
  public void releaseRequest(String scope, Instant countedAt) {
    SlidingWindow w = requests.get(scope);
    if (w != null) {
      w.remove(1, countedAt.toEpochMilli());
    }
  }

  @Override
  public WindowState requests(String scope, long limit, Instant now) {
    return window(requests, scope).peek(limit, now.toEpochMilli());
  }

  @Override
  public WindowState tokens(String scope, long limit, Instant now) {
    return window(tokens, scope).peek(limit, now.toEpochMilli());
  }

  @Override
  public void addTokens(String scope, long amount, Instant now) {
    if (amount > 0) {
      window(tokens, scope).add(amount, Long.MAX_VALUE, now.toEpochMilli(), true);
    }
  }

  @Override
  public long spend(String scope, Instant periodStart) {
    PeriodSpend p = spend.get(scope);
    return p != null && p.periodStart == periodStart.toEpochMilli() ? p.nanoUsd.get() : 0;
  }

  @Override
  public long addSpend(String scope, Instant periodStart, long nanoUsd) {
    long start = periodStart.toEpochMilli();
    PeriodSpend p = current(scope, start);
    if (p.periodStart != start) {
      return 0; // a request that began in a period already over
    }
    return p.nanoUsd.addAndGet(nanoUsd);
  }

  @Override
  public void seedSpend(String scope, Instant periodStart, long nanoUsd) {
    long start = periodStart.toEpochMilli();
    spend.compute(scope, (s, p) -> {
      if (p == null || p.periodStart != start) {
        return new PeriodSpend(start, new AtomicLong(nanoUsd));
      }
      p.nanoUsd.accumulateAndGet(nanoUsd, Math::max);
      return p;
    });
  }

  /** The counter of the latest period seen, moving it on to {@code start} when that is later. */
  private PeriodSpend current(String scope, long start) {
    PeriodSpend p = spend.get(scope);
    if (p != null && p.periodStart >= start) {
      return p;
    }
    return spend.compute(scope, (s, old) -> old == null || old.periodStart < start
        ? new PeriodSpend(start, new AtomicLong()) : old);
  }

  private static SlidingWindow window(ConcurrentHashMap<String, SlidingWindow> map, String scope) {
    SlidingWindow w = map.get(scope);
    return w != null ? w : map.computeIfAbsent(scope, s -> new SlidingWindow());
  }
}
