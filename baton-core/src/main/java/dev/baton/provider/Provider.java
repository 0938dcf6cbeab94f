package dev.baton.provider;

import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.CompletionRequest;
import dev.baton.CompletionResponse;
import dev.baton.EmbeddingRequest;
import dev.baton.EmbeddingResponse;
import dev.baton.NotFoundException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One deployment's upstream: translates requests to the provider's wire format, sends them and reads the
 * answers back into the OpenAI shape. Each method is one attempt; a failure is thrown as an
 * {@link dev.baton.UpstreamException} classified by {@link UpstreamErrors}, and retrying or falling back
 * is the router's business, never the provider's.
 */
public interface Provider extends AutoCloseable {

  Capabilities capabilities();

  ChatResponse chat(ChatRequest request, Call call);

  /** Opens a streamed chat answer; returns once the upstream has accepted the request. */
  ChunkSource streamChat(ChatRequest request, Call call);

  /** A text completion; by default, a chat with the prompt as the one user message. */
  default CompletionResponse complete(CompletionRequest request, Call call) {
    ChatResponse chat = chat(request.asChat(), call);
    List<CompletionResponse.Choice> choices = chat.choices().stream()
        .map(c -> new CompletionResponse.Choice(c.index(), c.message().text(), c.finishReason()))
        .toList();
    return new CompletionResponse(chat.id(), chat.created(), chat.upstreamModel(), choices, chat.usage(), null);
  }

  /** A streamed text completion; by default, a streamed chat with the prompt as the one user message. */
  default ChunkSource streamCompletion(CompletionRequest request, Call call) {
    // Chat-shaped upstream JSON must not be passed on as a completion chunk.
    return ChunkSource.withoutUpstreamBodies(streamChat(request.asChat(), call));
  }

  /** Embeddings; by default the provider has none, which the router treats like a missing model. */
  default EmbeddingResponse embed(EmbeddingRequest request, Call call) {
    throw new NotFoundException(call.source(), call.provider() + " has no embeddings endpoint");
  }

  /**
   * OpenAI's Responses API, when this deployment speaks it natively ({@code responses_api: native}); null
   * for the others, which get Responses requests translated into chat.
   */
  default @Nullable ResponsesApi responsesApi() {
    return null;
  }

  @Override
  default void close() {}
}
