package dev.baton.cache;

import dev.baton.Attempt;
import dev.baton.ChatChunk;
import dev.baton.ChatResponse;
import dev.baton.ChatStream;
import dev.baton.Usage;
import dev.baton.router.ChunkAssembler;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A streamed miss on its way to the caller: each chunk passes through as it comes and is also put together,
 * and only once the stream has ended as a complete answer is the whole answer handed to the cache. A stream
 * that fails, or that the caller closes before its end, leaves nothing behind.
 */
final class StoringStream implements ChatStream {

  private final ChatStream stream;
  private final CacheStatus status;
  private final @Nullable Consumer<ChatResponse> store;
  private final ChunkAssembler answer = new ChunkAssembler();

  /** @param store takes the whole answer, routed, once the stream completed; null: nothing is kept (a bypass) */
  StoringStream(ChatStream stream, CacheStatus status, @Nullable Consumer<ChatResponse> store) {
    this.stream = stream;
    this.status = status;
    this.store = store;
  }

  @Override
  public Iterator<ChatChunk> iterator() {
    Iterator<ChatChunk> chunks = stream.iterator();
    return new Iterator<>() {
      private boolean ended;

      @Override
      public boolean hasNext() {
        boolean more = chunks.hasNext(); // throws if the answer cannot be completed: nothing is stored
        if (!more && !ended && store != null) {
          ended = true;
          store.accept(answer.response(stream.usage()).routed(stream.model(), stream.attempts()));
        }
        return more;
      }

      @Override
      public ChatChunk next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ChatChunk chunk = chunks.next();
        if (store != null) {
          answer.add(chunk);
        }
        return chunk;
      }
    };
  }

  @Override
  public String model() {
    return stream.model();
  }

  @Override
  public List<Attempt> attempts() {
    return stream.attempts();
  }

  @Override
  public @Nullable Usage usage() {
    return stream.usage();
  }

  @Override
  public CacheStatus cache() {
    return status;
  }

  @Override
  public ChatResponse collect() {
    if (store == null) {
      return stream.collect().cached(status);
    }
    for (ChatChunk ignored : this) {
      // each chunk is put together as it passes
    }
    return answer.response(stream.usage()).routed(stream.model(), stream.attempts()).cached(status);
  }

  @Override
  public void close() {
    stream.close();
  }
}
