package dev.baton;

import dev.baton.cache.CacheStatus;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Embedding vectors, one per input in order, with the model that made them and the attempts. */
public final class EmbeddingResponse {

  private final String model;
  private final String upstreamModel;
  private final List<float[]> vectors;
  private final Usage usage;
  private final List<Attempt> attempts;
  private final byte @Nullable [] upstreamBody;
  private final @Nullable CacheStatus cache;

  public EmbeddingResponse(String upstreamModel, List<float[]> vectors, Usage usage, byte @Nullable [] upstreamBody) {
    this(upstreamModel, upstreamModel, vectors, usage, List.of(), upstreamBody, null);
  }

  private EmbeddingResponse(
      String model,
      String upstreamModel,
      List<float[]> vectors,
      Usage usage,
      List<Attempt> attempts,
      byte @Nullable [] upstreamBody,
      @Nullable CacheStatus cache) {
    this.model = model;
    this.upstreamModel = upstreamModel;
    this.vectors = List.copyOf(vectors);
    this.usage = usage;
    this.attempts = List.copyOf(attempts);
    this.upstreamBody = upstreamBody;
    this.cache = cache;
  }

  public EmbeddingResponse routed(String model, List<Attempt> attempts) {
    return new EmbeddingResponse(model, upstreamModel, vectors, usage, attempts, upstreamBody, cache);
  }

  /** The first input's vector. */
  public float[] vector() {
    return vectors.get(0);
  }

  /** Every input's vector, in input order. */
  public List<float[]> vectors() {
    return vectors;
  }

  /** The public name of the model that answered. */
  public String model() {
    return model;
  }

  public String upstreamModel() {
    return upstreamModel;
  }

  public Usage usage() {
    return usage;
  }

  public List<Attempt> attempts() {
    return attempts;
  }

  /** The upstream's own JSON body when it spoke OpenAI's format, else null. */
  public byte @Nullable [] upstreamBody() {
    return upstreamBody;
  }

  /**
   * How the response cache took part: {@code HIT} or {@code SEMANTIC_HIT} for an answer from it (its
   * {@link #attempts()} are then empty: no upstream call), {@code MISS} for one it will keep, {@code BYPASS}
   * for one it does not cover; null when the Baton has no cache.
   */
  public @Nullable CacheStatus cache() {
    return cache;
  }

  /** This answer, marked with how the cache took part in it. */
  public EmbeddingResponse cached(CacheStatus status) {
    return new EmbeddingResponse(model, upstreamModel, vectors, usage, attempts, upstreamBody, status);
  }
}
