package dev.baton;

import dev.baton.cache.CacheStatus;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A chat answer, with the model that gave it and every attempt it took to get it.
 *
 * <pre>{@code
 * ChatResponse r = baton.chat("Hello, fallback models!");
 * r.text();        // the answer
 * r.model();       // the public name of the model that answered
 * r.attempts();    // every attempt in order, failed ones included
 * }</pre>
 */
public final class ChatResponse {

  private final String id;
  private final long created;
  private final String model;
  private final String upstreamModel;
  private final List<Choice> choices;
  private final Usage usage;
  private final List<Attempt> attempts;
  private final byte @Nullable [] upstreamBody;
  private final @Nullable CacheStatus cache;

  /**
   * An answer as a provider reads it from the wire, before routing adds the model and attempts.
   *
   * @param upstreamBody the upstream's own body when it is already in OpenAI's format — or in Anthropic's, for a
   *     request passed through from a Messages body ({@link dev.baton.provider.MessagesBody}) — else null
   */
  public ChatResponse(
      String id,
      long created,
      String upstreamModel,
      List<Choice> choices,
      Usage usage,
      byte @Nullable [] upstreamBody) {
    this(id, created, upstreamModel, upstreamModel, choices, usage, List.of(), upstreamBody, null);
  }

  private ChatResponse(
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

  /** This answer as served under a public model name, with the attempts that led to it. */
  public ChatResponse routed(String model, List<Attempt> attempts) {
    return new ChatResponse(id, created, model, upstreamModel, choices, usage, attempts, upstreamBody, cache);
  }

  /** The text of the first choice; empty when the model only called tools. */
  public String text() {
    return choices.isEmpty() ? "" : choices.get(0).message().text();
  }

  /** The assistant message of the first choice. */
  public Message message() {
    return choices.isEmpty() ? Message.assistant("") : choices.get(0).message();
  }

  /** The tool calls of the first choice; empty when there are none. */
  public List<ToolCall> toolCalls() {
    return message().toolCalls();
  }

  /** Why the first choice ended, or null if the provider did not say. */
  public @Nullable FinishReason finishReason() {
    return choices.isEmpty() ? null : choices.get(0).finishReason();
  }

  /** The public name of the model that answered, such as {@code smart} or {@code openai/gpt-4o}. */
  public String model() {
    return model;
  }

  /** The model id the provider reported, such as {@code gpt-4o-2024-08-06}. */
  public String upstreamModel() {
    return upstreamModel;
  }

  public String id() {
    return id;
  }

  /** When the answer was created, in seconds since the epoch. */
  public long created() {
    return created;
  }

  public List<Choice> choices() {
    return choices;
  }

  public Usage usage() {
    return usage;
  }

  /** Every attempt in order, ending with the one that answered. */
  public List<Attempt> attempts() {
    return attempts;
  }

  /**
   * The upstream's own JSON body when it spoke OpenAI's format, for passing on unchanged — or Anthropic's,
   * when an Anthropic deployment answered a request passed through from a Messages body; else null.
   */
  public byte @Nullable [] upstreamBody() {
    return upstreamBody;
  }

  @Override
  public String toString() {
    return "ChatResponse[model=" + model + ", text=" + text() + ", finishReason=" + finishReason()
        + ", usage=" + usage + ", attempts=" + attempts.size() + "]";
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
  public ChatResponse cached(CacheStatus status) {
    return new ChatResponse(id, created, model, upstreamModel, choices, usage, attempts, upstreamBody, status);
  }
}
