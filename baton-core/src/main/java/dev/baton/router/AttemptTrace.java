package dev.baton.router;

import dev.baton.Attempt;
import dev.baton.ChatChunk;

/**
 * The trace of one attempt at one deployment: told when the upstream starts answering, what it answered,
 * and how the attempt ended. Called on the request's threads, one call at a time; must be quick and never
 * throw.
 */
public interface AttemptTrace {

  /** The trace of an attempt that is not traced. */
  AttemptTrace NONE = new AttemptTrace() {};

  /** The upstream started answering: a stream's first content, or a whole answer. */
  default void answering() {}

  /** A non-streamed answer: a {@code ChatResponse}, {@code CompletionResponse} or {@code EmbeddingResponse}. */
  default void answer(Object answer) {}

  /** A chunk of a streamed answer, as the caller receives it. */
  default void chunk(ChatChunk chunk) {}

  /** The attempt ended: answered, failed or cancelled. The last call. */
  default void ended(Attempt attempt) {}
}
