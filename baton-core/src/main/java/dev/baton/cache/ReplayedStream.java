package dev.baton.cache;

import dev.baton.Attempt;
import dev.baton.ChatChunk;
import dev.baton.ChatResponse;
import dev.baton.ChatStream;
import dev.baton.Choice;
import dev.baton.FinishReason;
import dev.baton.Message;
import dev.baton.Role;
import dev.baton.ToolCall;
import dev.baton.ToolCallDelta;
import dev.baton.Usage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A cached answer played as a stream: per choice, a chunk announcing the assistant with its whole text, one
 * per tool call with its whole arguments, and one with the finish reason; then the usage, if asked for. The
 * chunks carry no upstream bytes, so each front door writes them as a well-formed stream of its own protocol.
 */
final class ReplayedStream implements ChatStream {

  private final ChatResponse answer;
  private final CacheStatus status;
  private final List<ChatChunk> chunks;
  private boolean iterated;

  /** @param includeUsage whether the stream ends with a usage chunk ({@code stream_options.include_usage}) */
  ReplayedStream(ChatResponse answer, CacheStatus status, boolean includeUsage) {
    this.answer = answer;
    this.status = status;
    this.chunks = chunks(answer, includeUsage);
  }

  private static List<ChatChunk> chunks(ChatResponse a, boolean includeUsage) {
    List<ChatChunk> out = new ArrayList<>();
    for (Choice choice : a.choices()) {
      Message m = choice.message();
      out.add(new ChatChunk(a.id(), a.created(), a.upstreamModel(), choice.index(), Role.ASSISTANT, m.text(),
          List.of(), null, null, null));
      List<ToolCall> calls = m.toolCalls();
      for (int i = 0; i < calls.size(); i++) {
        ToolCall call = calls.get(i);
        out.add(new ChatChunk(a.id(), a.created(), a.upstreamModel(), choice.index(), null, null,
            List.of(new ToolCallDelta(i, call.id(), call.name(), call.arguments())), null, null, null));
      }
      out.add(new ChatChunk(a.id(), a.created(), a.upstreamModel(), choice.index(), null, null, List.of(),
          choice.finishReason() != null ? choice.finishReason()
              : calls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS, null, null));
    }
    if (includeUsage) {
      out.add(new ChatChunk(a.id(), a.created(), a.upstreamModel(), 0, null, null, List.of(), null, a.usage(), null));
    }
    return out;
  }

  @Override
  public Iterator<ChatChunk> iterator() {
    if (iterated) {
      throw new IllegalStateException("a ChatStream can be iterated once");
    }
    iterated = true;
    return chunks.iterator();
  }

  @Override
  public String model() {
    return answer.model();
  }

  @Override
  public List<Attempt> attempts() {
    return List.of();
  }

  @Override
  public @Nullable Usage usage() {
    return answer.usage();
  }

  @Override
  public CacheStatus cache() {
    return status;
  }

  @Override
  public ChatResponse collect() {
    return answer;
  }

  @Override
  public void close() {}
}
