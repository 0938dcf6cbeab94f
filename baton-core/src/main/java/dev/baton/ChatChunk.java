package dev.baton;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One piece of a streamed answer: a text delta, tool-call fragments, the finish reason, or (last, when
 * asked for) the usage.
 *
 * @param id the answer's id
 * @param created when the answer was created, in seconds since the epoch
 * @param upstreamModel the model id the provider reported
 * @param index which choice the piece belongs to
 * @param role the role, announced in the first chunk
 * @param content the text delta
 * @param toolCalls tool-call fragments
 * @param finishReason set on the chunk that ends the choice
 * @param usage set on the usage chunk
 * @param upstreamBody the upstream's own JSON of this chunk when it spoke OpenAI's format; for a request passed
 *     through from a Messages body, the Anthropic events it came from, framed
 *     ({@link dev.baton.provider.MessagesBody#isEvents}); else null
 */
public record ChatChunk(
    String id,
    long created,
    String upstreamModel,
    int index,
    @Nullable Role role,
    @Nullable String content,
    List<ToolCallDelta> toolCalls,
    @Nullable FinishReason finishReason,
    @Nullable Usage usage,
    byte @Nullable [] upstreamBody) {

  public ChatChunk {
    toolCalls = List.copyOf(toolCalls);
  }

  /** A text delta. */
  public static ChatChunk text(String id, long created, String upstreamModel, String content) {
    return new ChatChunk(id, created, upstreamModel, 0, null, content, List.of(), null, null, null);
  }

  /** The text delta, or empty. */
  public String text() {
    return content == null ? "" : content;
  }

  /**
   * Whether this chunk carries any of the answer — text, a tool call or a finish — as opposed to a role
   * announcement, a filter report or a usage report. The first such chunk is the stream's first token.
   */
  public boolean hasAnswer() {
    return (content != null && !content.isEmpty()) || !toolCalls.isEmpty() || finishReason != null;
  }

  /** Whether this is the usage report that ends a stream asked to include usage. */
  public boolean isUsageOnly() {
    return usage != null && content == null && toolCalls.isEmpty() && finishReason == null;
  }

  /** This chunk with its upstream JSON dropped, so it is written from its fields. */
  public ChatChunk withoutUpstreamBody() {
    return upstreamBody == null
        ? this
        : new ChatChunk(id, created, upstreamModel, index, role, content, toolCalls, finishReason, usage, null);
  }
}
