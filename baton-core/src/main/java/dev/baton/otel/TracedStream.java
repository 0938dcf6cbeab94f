package dev.baton.otel;

import dev.baton.Attempt;
import dev.baton.ChatChunk;
import dev.baton.ChatResponse;
import dev.baton.ChatStream;
import dev.baton.Choice;
import dev.baton.Usage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * A stream whose request span ends when it does: read to its end, broken off with a failure, or closed
 * before its end. It watches the chunks go by for the answer's model, id and finish reasons.
 */
final class TracedStream implements ChatStream {

  private final ChatStream stream;
  private final OtelRequestTrace trace;
  private final List<String> finishReasons = new ArrayList<>(1);
  private @Nullable String upstreamModel;
  private String id = "";

  TracedStream(ChatStream stream, OtelRequestTrace trace) {
    this.stream = stream;
    this.trace = trace;
  }

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
          ended(e);
          throw e;
        }
        if (!more) {
          ended(null);
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

  private void seen(ChatChunk chunk) {
    if (!chunk.upstreamModel().isEmpty()) {
      upstreamModel = chunk.upstreamModel();
    }
    if (!chunk.id().isEmpty()) {
      id = chunk.id();
    }
    if (chunk.finishReason() != null) {
      finishReasons.add(chunk.finishReason().wire());
    }
  }

  private void ended(@Nullable RuntimeException failure) {
    trace.streamEnded(stream, finishReasons, upstreamModel, id, failure, false);
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
  public ChatResponse collect() {
    ChatResponse answer;
    try {
      answer = stream.collect();
    } catch (RuntimeException e) {
      ended(e);
      throw e;
    }
    for (Choice c : answer.choices()) {
      if (c.finishReason() != null) {
        finishReasons.add(c.finishReason().wire());
      }
    }
    upstreamModel = answer.upstreamModel();
    id = answer.id();
    ended(null);
    return answer;
  }

  @Override
  public void close() {
    stream.close();
    // After an end above this does nothing: closing a stream read to its end is not cancelling it.
    trace.streamEnded(stream, finishReasons, upstreamModel, id, null, true);
  }
}
