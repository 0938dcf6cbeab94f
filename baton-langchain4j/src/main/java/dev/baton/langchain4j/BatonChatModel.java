package dev.baton.langchain4j;

import dev.baton.BatonException;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.List;
import java.util.Set;

/**
 * A LangChain4j {@link ChatModel} that answers with the first of several models that can: a rate
 * limit, an outage or a timeout on one is retried or handed to the next, and the application sees one
 * answer. Messages, images, tools, tool results, response formats and every common parameter are passed
 * on; the answer carries its tool calls, finish reason, token usage and the name of the model that
 * answered ({@link BatonChatResponseMetadata}).
 *
 * <pre>{@code
 * ChatModel model = BatonChatModel.builder()
 *     .models("openai/gpt-4o", "anthropic/claude-3-5-haiku-latest")
 *     .build();
 * Assistant assistant = AiServices.builder(Assistant.class).chatModel(model).tools(new Tools()).build();
 * }</pre>
 *
 * <p>Failures are LangChain4j's exception types ({@code RateLimitException}, {@code TimeoutException},
 * ...) chosen from the last model's failure, with the {@link BatonException} as the cause.
 */
public final class BatonChatModel extends BatonAdapter implements ChatModel {

  private final ChatRequestParameters defaultRequestParameters;
  private final List<ChatModelListener> listeners;

  private BatonChatModel(Builder b) {
    super(b);
    this.defaultRequestParameters = b.defaultRequestParameters();
    this.listeners = b.listeners();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    try {
      return Responses.toLangChain4j(baton.chat(Requests.toBaton(request, modelName, false)));
    } catch (BatonException e) {
      throw Errors.toLangChain4j(e);
    }
  }

  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return defaultRequestParameters;
  }

  @Override
  public List<ChatModelListener> listeners() {
    return listeners;
  }

  /** Structured output is sent as a JSON schema; a model that cannot follow one hands over to the next. */
  @Override
  public Set<Capability> supportedCapabilities() {
    return Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
  }


  /** Builds a {@link BatonChatModel}. */
  public static final class Builder extends BatonChatBuilder<Builder> {

    private Builder() {}

    public BatonChatModel build() {
      return new BatonChatModel(this);
    }
  }
}
