package dev.baton.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What both chat models are built from, beside the Baton: default request parameters and listeners.
 *
 * @param <B> the concrete builder
 */
public abstract class BatonChatBuilder<B extends BatonChatBuilder<B>> extends BatonBuilder<B> {

  private ChatRequestParameters defaultRequestParameters = DefaultChatRequestParameters.EMPTY;
  private final List<ChatModelListener> listeners = new ArrayList<>();

  BatonChatBuilder() {}

  /**
   * Parameters every request starts from, a request's own winning: LangChain4j's common ones, or
   * {@link BatonChatRequestParameters} for Baton's (fallbacks, seed, strict JSON schemas, ...).
   */
  public B defaultRequestParameters(ChatRequestParameters parameters) {
    this.defaultRequestParameters = Objects.requireNonNull(parameters, "parameters");
    return self();
  }

  /** Listeners that see each request once, around all of Baton's retries and fallbacks. */
  public B listeners(List<ChatModelListener> listeners) {
    this.listeners.addAll(listeners);
    return self();
  }

  public B listener(ChatModelListener listener) {
    this.listeners.add(Objects.requireNonNull(listener, "listener"));
    return self();
  }

  ChatRequestParameters defaultRequestParameters() {
    return defaultRequestParameters;
  }

  List<ChatModelListener> listeners() {
    return AttemptsAttribute.before(listeners);
  }
}
