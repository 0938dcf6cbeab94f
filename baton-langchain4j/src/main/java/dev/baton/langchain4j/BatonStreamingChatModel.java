package dev.baton.langchain4j;

import dev.baton.BatonException;
import dev.baton.ChatChunk;
import dev.baton.ChatStream;
import dev.baton.ToolCall;
import dev.baton.ToolCallDelta;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A LangChain4j {@link StreamingChatModel} over Baton: the answer streams from the first model that
 * starts one, and if that model breaks off mid-answer Baton continues it from a fallback, so the
 * handler sees one whole answer — or {@code onError}, never a truncated answer that looks complete.
 * Text arrives as partial responses, tool calls as partial then complete tool calls; the complete
 * response carries usage, finish reason, the answering model and the attempts
 * ({@link BatonChatResponseMetadata}). A handler may cancel through the {@link StreamingHandle} in its
 * partial contexts, which closes the upstream connection.
 */
public final class BatonStreamingChatModel extends BatonAdapter implements StreamingChatModel {

  private static final Logger log = LoggerFactory.getLogger(BatonStreamingChatModel.class);

  private final ChatRequestParameters defaultRequestParameters;
  private final List<ChatModelListener> listeners;

  private BatonStreamingChatModel(Builder b) {
    super(b);
    this.defaultRequestParameters = b.defaultRequestParameters();
    this.listeners = b.listeners();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts the stream on a virtual thread and returns; the handler is called from that thread. */
  @Override
  public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
    dev.baton.ChatRequest batonRequest;
    try {
      batonRequest = Requests.toBaton(request, modelName, true);
    } catch (RuntimeException e) {
      handler.onError(e instanceof BatonException b ? Errors.toLangChain4j(b) : e);
      return;
    }
    Thread.ofVirtual().name("baton-langchain4j-stream").start(() -> new Run(handler).stream(batonRequest));
  }

  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return defaultRequestParameters;
  }

  @Override
  public List<ChatModelListener> listeners() {
    return listeners;
  }

  @Override
  public Set<Capability> supportedCapabilities() {
    return Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
  }


  /** One streamed answer: reads Baton's chunks and tells the handler. */
  private final class Run implements StreamingHandle {
    private final StreamingChatResponseHandler handler;
    private final StringBuilder text = new StringBuilder();
    private final List<ToolCall> completed = new ArrayList<>();
    private volatile ChatStream stream;
    private volatile boolean cancelled;
    private int callIndex = -1;
    private String callId;
    private String callName;
    private StringBuilder callArguments;

    Run(StreamingChatResponseHandler handler) {
      this.handler = handler;
    }

    void stream(dev.baton.ChatRequest request) {
      try {
        stream = baton.stream(request);
        if (cancelled) {
          stream.close();
          return;
        }
        dev.baton.FinishReason finish = null;
        String id = "";
        String upstreamModel = "";
        for (ChatChunk chunk : stream) {
          if (cancelled) {
            return;
          }
          if (!chunk.id().isEmpty()) {
            id = chunk.id();
            upstreamModel = chunk.upstreamModel();
          }
          if (chunk.content() != null && !chunk.content().isEmpty()) {
            text.append(chunk.content());
            PartialResponse partial = new PartialResponse(chunk.content());
            safely(() -> handler.onPartialResponse(partial, new PartialResponseContext(this)));
          }
          for (ToolCallDelta delta : chunk.toolCalls()) {
            toolCall(delta);
          }
          if (chunk.finishReason() != null) {
            finish = chunk.finishReason();
          }
        }
        if (cancelled) {
          return;
        }
        completeToolCall();
        var response = Responses.chatResponse(id, text.toString(), completed, finish, stream.usage(), stream.model(),
            upstreamModel, stream.attempts());
        safely(() -> handler.onCompleteResponse(response));
      } catch (BatonException e) {
        if (!cancelled) {
          handler.onError(Errors.toLangChain4j(e));
        }
      } catch (RuntimeException e) {
        if (!cancelled) {
          handler.onError(e);
        }
      } finally {
        ChatStream s = stream;
        if (s != null) {
          s.close();
        }
      }
    }

    /** A fragment of a tool call: the first of a call names it, later ones carry its arguments. */
    private void toolCall(ToolCallDelta delta) {
      if (delta.index() != callIndex) {
        completeToolCall();
        callIndex = delta.index();
        callId = delta.id();
        callName = delta.name();
        callArguments = new StringBuilder();
      }
      if (delta.id() != null) {
        callId = delta.id();
      }
      if (delta.name() != null) {
        callName = delta.name();
      }
      String piece = delta.arguments();
      if (piece != null && !piece.isEmpty()) {
        callArguments.append(piece);
        if (callName != null) {
          PartialToolCall partial = PartialToolCall.builder()
              .index(callIndex).id(callId).name(callName).partialArguments(piece).build();
          safely(() -> handler.onPartialToolCall(partial, new PartialToolCallContext(this)));
        }
      }
    }

    private void completeToolCall() {
      if (callIndex < 0 || callName == null) {
        return;
      }
      String arguments = callArguments.isEmpty() ? "{}" : callArguments.toString();
      ToolCall call = new ToolCall(callId == null ? callName : callId, callName, arguments);
      completed.add(call);
      CompleteToolCall complete = new CompleteToolCall(callIndex, Responses.toolExecutionRequest(call));
      callIndex = -1;
      callName = null;
      safely(() -> handler.onCompleteToolCall(complete));
    }

    @Override
    public void cancel() {
      cancelled = true;
      ChatStream s = stream;
      if (s != null) {
        s.close();
      }
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }
  }

  /** A handler's own exception is the application's bug, not the stream's: it is logged and the stream goes on. */
  private static void safely(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      log.warn("a StreamingChatResponseHandler threw; ignored", e);
    }
  }

  /** Builds a {@link BatonStreamingChatModel}. */
  public static final class Builder extends BatonChatBuilder<Builder> {

    private Builder() {}

    public BatonStreamingChatModel build() {
      return new BatonStreamingChatModel(this);
    }
  }
}
