package dev.baton.router;

import dev.baton.Attempt;
import dev.baton.ChatChunk;
import dev.baton.ChatStream;
import dev.baton.Usage;
import dev.baton.cache.CacheStatus;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * A stream passed on unchanged to its reader while something watches it go by — the response cache putting
 * a miss together, a trace waiting for the end: each chunk is shown to {@link #seen} as it passes, and
 * {@link #ended} is told once how the reading ended, read to its end or broken off by a failure.
 */
public abstract class ObservedStream implements ChatStream {

  protected final ChatStream stream;
  private boolean ended;

  protected ObservedStream(ChatStream stream) {
    this.stream = stream;
  }

  /** A chunk on its way to the reader. */
  protected void seen(ChatChunk chunk) {}

  /**
   * The reading ended, once: {@code failure} is null when the stream was read to its end, else what the
   * iteration throws next (the answer could not be completed).
   */
  protected abstract void ended(@Nullable RuntimeException failure);

  @Override
  public Iterator<ChatChunk> iterator() {
    Iterator<ChatChunk> chunks = stream.iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        boolean more;
        try {
          more = chunks.hasNext();
        } catch (RuntimeException e) {
          end(e);
          throw e;
        }
        if (!more) {
          end(null);
        }
        return more;
      }

      @Override
      public ChatChunk next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ChatChunk chunk = chunks.next();
        seen(chunk);
        return chunk;
      }
    };
  }

  /** Ends the watch from a subclass's own {@link #collect()}, as reading to the end would have. */
  protected final void end(@Nullable RuntimeException failure) {
    if (!ended) {
      ended = true;
      ended(failure);
    }
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
  public @Nullable CacheStatus cache() {
    return stream.cache();
  }

  @Override
  public void close() {
    stream.close();
  }
}
