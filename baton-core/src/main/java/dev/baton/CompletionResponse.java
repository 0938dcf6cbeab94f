package dev.baton;

import dev.baton.cache.CacheStatus;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A text-completion answer, with the model that gave it and the attempts it took. */
public final class CompletionResponse {

  /** One completion; there are several for several prompts or {@code n}. */
  public record Choice(int index, String text, @Nullable FinishReason finishReason) {}

  private final String id;
  private final long created;
  private final String model;
  private final String upstreamModel;
  private final List<Choice> choices;
  private final Usage usage;
  private final List<Attempt> attempts;
  private final byte @Nullable [] upstreamBody;
  private final @Nullable CacheStatus cache;

  public CompletionResponse(
      String id, long created, String upstreamModel, List<Choice> choices, Usage usage, byte @Nullable [] upstreamBody) {
    this(id, created, upstreamModel, upstreamModel, choices, usage, List.of(), upstreamBody, null);
  }

  private CompletionResponse(
      String id,
      long created,
      String model,
      String upstreamModel,
      List<Choice> choices,
      Usage usage,
      List<Attempt> attempts,
      byte @Nullable [] upstreamBody,
      @Nullable CacheStatus cache) {
    this.id = id;
    this.created = created;
    this.model = model;
    this.upstreamModel = upstreamModel;
    this.choices = List.copyOf(choices);
    this.usage = usage;
    this.attempts = List.copyOf(attempts);
    this.upstreamBody = upstreamBody;
    this.cache = cache;
  }

  public CompletionResponse routed(String model, List<Attempt> attempts) {
    return new CompletionResponse(id, created, model, upstreamModel, choices, usage, attempts, upstreamBody, cache);
  }

  /** The text of the first completion. */
  public String text() {
    return choices.isEmpty() ? "" : choices.get(0).text();
  }

  public @Nullable FinishReason finishReason() {
    return choices.isEmpty() ? null : choices.get(0).finishReason();
  }

  /** The public name of the model that answered. */
  public String model() {
    return model;
  }

  public String upstreamModel() {
    return upstreamModel;
  }

  public String id() {
    return id;
  }

  public long created() {
    return created;
  }

  public List<Choice> choices() {
    return choices;
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
  public CompletionResponse cached(CacheStatus status) {
    return new CompletionResponse(id, created, model, upstreamModel, choices, usage, attempts, upstreamBody, status);
  }
}
