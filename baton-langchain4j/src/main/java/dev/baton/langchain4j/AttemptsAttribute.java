package dev.baton.langchain4j;

import dev.baton.Attempt;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The first listener of every Baton chat model: it puts the request's attempt trail into the listener
 * attributes under {@link BatonChatResponseMetadata#ATTEMPTS_ATTRIBUTE} before the application's own
 * listeners see the answer or the failure. LangChain4j calls listeners once per request, around
 * Baton's whole run of retries and fallbacks.
 */
final class AttemptsAttribute implements ChatModelListener {

  private static final AttemptsAttribute INSTANCE = new AttemptsAttribute();

  /** This listener, then the application's. */
  static List<ChatModelListener> before(List<ChatModelListener> listeners) {
    List<ChatModelListener> all = new ArrayList<>(listeners.size() + 1);
    all.add(INSTANCE);
    all.addAll(listeners);
    return List.copyOf(all);
  }

  @Override
  public void onResponse(ChatModelResponseContext context) {
    if (context.chatResponse().metadata() instanceof BatonChatResponseMetadata metadata) {
      context.attributes().put(BatonChatResponseMetadata.ATTEMPTS_ATTRIBUTE, metadata.attempts());
    }
  }

  @Override
  public void onError(ChatModelErrorContext context) {
    List<Attempt> attempts = Errors.attempts(context.error());
    if (attempts != null) {
      context.attributes().put(BatonChatResponseMetadata.ATTEMPTS_ATTRIBUTE, attempts);
    }
  }
}
