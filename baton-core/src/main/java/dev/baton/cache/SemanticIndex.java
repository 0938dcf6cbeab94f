package dev.baton.cache;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The semantic cache's index, in this process: per context (route, model, scope and every field but the
 * last user message), the embeddings of the last user messages whose answers are cached, each with its
 * entry's id. A lookup is an exact nearest-neighbour search — the cosine similarity with every embedding of
 * the context, on unit vectors a dot product — which is a few milliseconds at ten thousand 384-dimension
 * vectors, the same order as embedding the message. Readers never lock: each context's vectors are an
 * immutable snapshot, replaced whole by a writer.
 *
 * <p>At most {@code capacity} embeddings are kept, the oldest dropped first; an expired one is skipped, and
 * dropped when its context is next written.
 */
final class SemanticIndex {

  /** One indexed message: its unit embedding, its entry's id and when that entry expires. */
  private record Point(float[] unit, String id, long expiresAtMillis) {}

  /** A context's points, oldest first. */
  private static final class Points {
    volatile Point[] all = new Point[0];
  }

  private record Indexed(String context, String id) {}

  private final int capacity;
  private final Map<String, Points> contexts = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Indexed> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();

  SemanticIndex(long capacity) {
    this.capacity = (int) Math.min(Integer.MAX_VALUE, capacity);
  }

  /** The match: the entry's id and how similar its message is. */
  record Match(String id, double similarity) {}

  /** The closest live message of {@code context} at least {@code threshold} similar, or null. */
  @Nullable Match nearest(String context, float[] embedding, double threshold, long nowMillis) {
    Points points = contexts.get(context);
    if (points == null) {
      return null;
    }
    float[] unit = unit(embedding);
    if (unit == null) {
      return null;
    }
    Point best = null;
    double bestSimilarity = threshold;
    for (Point p : points.all) {
      if (p.expiresAtMillis <= nowMillis || p.unit.length != unit.length) {
        continue;
      }
      double similarity = dot(p.unit, unit);
      if (similarity >= bestSimilarity) {
        best = p;
        bestSimilarity = similarity;
      }
    }
    return best == null ? null : new Match(best.id, bestSimilarity);
  }

  /** Indexes a stored entry's message; the same id again replaces its point. */
  void add(String context, float[] embedding, String id, long expiresAtMillis, long nowMillis) {
    float[] unit = unit(embedding);
    if (unit == null) {
      return;
    }
    int added;
    while (true) {
      Points points = contexts.computeIfAbsent(context, c -> new Points());
      synchronized (points) {
        if (contexts.get(context) != points) {
          continue; // emptied and dropped meanwhile
        }
        Point[] before = points.all;
        Point[] after = new Point[before.length + 1];
        int n = 0;
        for (Point p : before) {
          if (p.expiresAtMillis > nowMillis && !p.id.equals(id)) {
            after[n++] = p;
          }
        }
        after[n++] = new Point(unit, id, expiresAtMillis);
        points.all = java.util.Arrays.copyOf(after, n);
        added = n - before.length;
        break;
      }
    }
    size.addAndGet(added);
    order.add(new Indexed(context, id));
    while (size.get() > capacity) {
      Indexed oldest = order.poll();
      if (oldest == null) {
        break;
      }
      remove(oldest);
    }
  }

  private void remove(Indexed indexed) {
    Points points = contexts.get(indexed.context);
    if (points == null) {
      return;
    }
    synchronized (points) {
      Point[] before = points.all;
      int at = -1;
      for (int i = 0; i < before.length && at < 0; i++) {
        if (before[i].id.equals(indexed.id)) {
          at = i;
        }
      }
      if (at < 0) {
        return;
      }
      Point[] after = new Point[before.length - 1];
      System.arraycopy(before, 0, after, 0, at);
      System.arraycopy(before, at + 1, after, at, before.length - at - 1);
      points.all = after;
      if (after.length == 0) {
        contexts.remove(indexed.context, points);
      }
    }
    size.decrementAndGet();
  }

  /** How many messages are indexed. */
  int size() {
    return size.get();
  }

  private static float @Nullable [] unit(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    if (norm == 0 || Double.isNaN(norm)) {
      return null;
    }
    double scale = 1 / Math.sqrt(norm);
    float[] unit = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      unit[i] = (float) (v[i] * scale);
    }
    return unit;
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
