package dev.baton.router;

import dev.baton.BatonEvent;
import dev.baton.ChatStream;
import dev.baton.provider.Call;

/**
 * The trace of one request through the router: told of each attempt as it starts, of every router event
 * of the request (retries, fallbacks, skipped deployments, stream resumptions, hedges), and of how the
 * request ended. Each method is called on a thread of the request, one at a time, and must be quick and
 * never throw.
 */
public interface RequestTrace {

  /** The trace of a request that is not traced. */
  RequestTrace NONE = new RequestTrace() {};

  /**
   * An attempt is about to go upstream. The trace may add headers to {@code call} (the attempt's own
   * {@code traceparent}); it returns the attempt's trace, told how the attempt goes.
   *
   * @param model the public model name the deployment serves
   * @param deployment the deployment's id
   * @param provider the deployment's provider, such as {@code openai}
   * @param upstreamModel the provider's own model id asked for
   */
  default AttemptTrace attempt(String model, String deployment, String provider, String upstreamModel, Call call) {
    return AttemptTrace.NONE;
  }

  /** One of this request's router events, as the listeners receive it. */
  default void onEvent(BatonEvent event) {}

  /** The request was answered: a {@code ChatResponse}, {@code CompletionResponse} or {@code EmbeddingResponse}. */
  default void answered(Object answer) {}

  /** The request failed before or without an answer. */
  default void failed(RuntimeException failure) {}

  /** The request's answer is this stream: the trace ends with it; returns the stream to hand out. */
  default ChatStream streaming(ChatStream stream) {
    return stream;
  }
}
