package dev.baton;

import java.util.Iterator;
import java.util.List;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * A streamed answer, chunk by chunk. It is returned once the first model has started answering; if that
 * model breaks off mid-answer, Baton continues from a fallback so the caller still gets one complete
 * answer, or ends the iteration with a {@link BatonException} — never with a truncated answer that looks
 * complete.
 *
 * <pre>{@code
 * try (ChatStream stream = baton.stream("Tell me a story")) {
 *   for (ChatChunk chunk : stream) {
 *     System.out.print(chunk.text());
 *   }
 * }
 * }</pre>
 *
 * <p>Closing the stream early closes the upstream connection. A stream can be iterated once.
 */
public interface ChatStream extends Iterable<ChatChunk>, AutoCloseable {

  /** The chunks, in order; the iteration throws a {@link BatonException} if the answer cannot be completed. */
  @Override
  Iterator<ChatChunk> iterator();

  /** The chunks as a {@link Stream}; closing it closes this stream. */
  default Stream<ChatChunk> stream() {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), 0), false).onClose(this::close);
  }

  /** The public name of the model that is answering (the last one, after a mid-stream failover). */
  String model();

  /** Every attempt so far, in order. */
  List<Attempt> attempts();

  /**
   * The usage, once the stream has ended: as the provider reported it, or — when it reported none —
   * estimated (the prompt's estimate, and four characters a token of output); null before the end.
   */
  @Nullable Usage usage();

  /**
   * How the response cache took part: {@code HIT} or {@code SEMANTIC_HIT} for an answer replayed from it,
   * {@code MISS} for one it keeps once it completes, {@code BYPASS} for one it does not cover; null when the
   * Baton has no cache.
   */
  default dev.baton.cache.@Nullable CacheStatus cache() {
    return null;
  }

  /** Reads the rest of the stream and assembles the whole answer. */
  ChatResponse collect();

  /** Stops the stream and closes the upstream connection; safe to call more than once. */
  @Override
  void close();
}
