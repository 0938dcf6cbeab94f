package dev.baton.provider;

import dev.baton.ChatChunk;
import dev.baton.transport.HttpStream;
import org.jspecify.annotations.Nullable;

/**
 * A provider's streamed answer, chunk by chunk, in the OpenAI shape. {@link #next()} returns null at a
 * complete end and throws an {@link dev.baton.UpstreamException} when the stream fails or ends before the
 * answer is complete — a truncated answer never ends like a finished one.
 */
public interface ChunkSource extends AutoCloseable {

  /** The next chunk, or null when the answer is complete. */
  @Nullable ChatChunk next();

  /** Closes the upstream connection; safe to call more than once. */
  @Override
  void close();

  /**
   * This source's chunks without their upstream JSON, so they are written from their fields: for a door
   * or an operation whose protocol is not the upstream's.
   */
  static ChunkSource withoutUpstreamBodies(ChunkSource source) {
    return new ChunkSource() {
      @Override
      public @Nullable ChatChunk next() {
        ChatChunk chunk = source.next();
        return chunk == null ? null : chunk.withoutUpstreamBody();
      }

      @Override
      public void close() {
        source.close();
      }
    };
  }

  /** Reads a provider's chunks from its wire format. */
  @FunctionalInterface
  interface Reader {
    @Nullable ChatChunk read();
  }

  /**
   * A source over an HTTP stream, keeping its time limits: the first chunk that carries any of the answer
   * ends the first-token limit, and every chunk restarts the idle limit.
   */
  static ChunkSource over(HttpStream stream, Reader reader) {
    return new ChunkSource() {
      @Override
      public @Nullable ChatChunk next() {
        ChatChunk chunk = reader.read();
        if (chunk != null) {
          stream.progress();
          if (chunk.hasAnswer()) {
            stream.answerStarted();
          }
        }
        return chunk;
      }

      @Override
      public void close() {
        stream.close();
      }
    };
  }
}
