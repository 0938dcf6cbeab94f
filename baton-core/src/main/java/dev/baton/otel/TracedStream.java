package dev.baton.otel;

import dev.baton.ChatChunk;
import dev.baton.ChatResponse;
import dev.baton.ChatStream;
import dev.baton.Choice;
import dev.baton.router.ObservedStream;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A stream whose request span ends when it does: read to its end, broken off with a failure, or closed
 * before its end. It watches the chunks go by for the answer's model, id and finish reasons.
 */
final class TracedStream extends ObservedStream {

  private final OtelRequestTrace trace;
  private final List<String> finishReasons = new ArrayList<>(1);
  private @Nullable String upstreamModel;
  private String id = "";

  TracedStream(ChatStream stream, OtelRequestTrace trace) {
    super(stream);
    this.trace = trace;
  }

  @Override
  protected void seen(ChatChunk chunk) {
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

  @Override
  protected void ended(@Nullable RuntimeException failure) {
    trace.streamEnded(stream, finishReasons, upstreamModel, id, failure, false);
  }

  @Override
  public ChatResponse collect() {
    ChatResponse answer;
    try {
      answer = stream.collect();
    } catch (RuntimeException e) {
      end(e);
      throw e;
    }
    for (Choice c : answer.choices()) {
      if (c.finishReason() != null) {
        finishReasons.add(c.finishReason().wire());
      }
    }
    upstreamModel = answer.upstreamModel();
    id = answer.id();
    end(null);
    return answer;
  }

  @Override
  public void close() {
    stream.close();
    // After an end above this does nothing: closing a stream read to its end is not cancelling it.
    trace.streamEnded(stream, finishReasons, upstreamModel, id, null, true);
  }
}
