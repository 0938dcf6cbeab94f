package dev.baton.cache;

import dev.baton.ChatChunk;
import dev.baton.ChatResponse;
import dev.baton.ChatStream;
import dev.baton.router.ChunkAssembler;
import dev.baton.router.ObservedStream;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A streamed miss on its way to the caller: each chunk passes through as it comes and is also put together,
 * and only once the stream has ended as a complete answer is the whole answer handed to the cache. A stream
 * that fails, or that the caller closes before its end, leaves nothing behind.
 */
final class StoringStream extends ObservedStream {

  private final CacheStatus status;
  private final @Nullable Consumer<ChatResponse> store;
  private final ChunkAssembler answer = new ChunkAssembler();

  /** @param store takes the whole answer, routed, once the stream completed; null: nothing is kept (a bypass) */
  StoringStream(ChatStream stream, CacheStatus status, @Nullable Consumer<ChatResponse> store) {
    super(stream);
    this.status = status;
    this.store = store;
  }

  @Override
  protected void seen(ChatChunk chunk) {
    if (store != null) {
      answer.add(chunk);
    }
  }

  @Override
  protected void ended(@Nullable RuntimeException failure) {
    if (failure == null && store != null) {
      store.accept(whole());
    }
  }

  private ChatResponse whole() {
    return answer.response(stream.usage()).routed(stream.model(), stream.attempts());
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
    return whole().cached(status);
  }
}
