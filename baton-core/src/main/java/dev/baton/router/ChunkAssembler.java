package dev.baton.router;

import dev.baton.ChatChunk;
import dev.baton.ChatResponse;
import dev.baton.Choice;
import dev.baton.FinishReason;
import dev.baton.Message;
import dev.baton.ToolCall;
import dev.baton.ToolCallDelta;
import dev.baton.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Puts a streamed answer together again, chunk by chunk: each choice's text, its tool calls from their
 * fragments, its finish reason, and the answer's id, time and model. What {@link dev.baton.ChatStream#collect()}
 * returns, and what the response cache keeps of a stream.
 */
public final class ChunkAssembler {

  /** One choice so far. */
  private static final class Assembling {
    final StringBuilder text = new StringBuilder();
    final TreeMap<Integer, String[]> calls = new TreeMap<>();
    @Nullable FinishReason finish;
  }

  private final TreeMap<Integer, Assembling> choices = new TreeMap<>();
  private String id = "";
  private long created;
  private String upstreamModel = "";
  private @Nullable Usage usage;

  /** Adds the next chunk. */
  public void add(ChatChunk chunk) {
    if (!chunk.id().isEmpty()) {
      id = chunk.id();
      created = chunk.created();
      upstreamModel = chunk.upstreamModel();
    }
    if (chunk.usage() != null) {
      usage = chunk.usage();
    }
    if (chunk.isUsageOnly()) {
      return;
    }
    Assembling choice = choices.computeIfAbsent(chunk.index(), i -> new Assembling());
    choice.text.append(chunk.text());
    for (ToolCallDelta delta : chunk.toolCalls()) {
      String[] call = choice.calls.computeIfAbsent(delta.index(), i -> new String[] {"", "", ""});
      if (delta.id() != null) {
        call[0] = delta.id();
      }
      if (delta.name() != null) {
        call[1] = delta.name();
      }
      if (delta.arguments() != null) {
        call[2] += delta.arguments();
      }
    }
    if (chunk.finishReason() != null) {
      choice.finish = chunk.finishReason();
    }
  }

  /** Whether any choice has text or a tool call. */
  public boolean hasContent() {
    for (Assembling choice : choices.values()) {
      if (!choice.text.isEmpty() || !choice.calls.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The answer so far, not yet routed ({@link ChatResponse#routed}).
   *
   * @param reported the stream's usage, if it knows it; else the last usage a chunk carried, else none
   */
  public ChatResponse response(@Nullable Usage reported) {
    List<Choice> list = new ArrayList<>(Math.max(1, choices.size()));
    if (choices.isEmpty()) {
      list.add(new Choice(0, Message.assistant(""), null));
    }
    choices.forEach((index, choice) -> {
      List<ToolCall> calls = choice.calls.values().stream().map(c -> new ToolCall(c[0], c[1], c[2])).toList();
      Message message = calls.isEmpty()
          ? Message.assistant(choice.text.toString())
          : Message.assistant(choice.text.isEmpty() ? null : choice.text.toString(), calls);
      list.add(new Choice(index, message, choice.finish));
    });
    Usage u = reported != null ? reported : usage;
    return new ChatResponse(id, created, upstreamModel, list, u == null ? Usage.NONE : u, null);
  }
}
