package dev.baton.router;

import dev.baton.ChatStream;
import java.util.function.Function;

/**
 * Starts the trace of each request the {@code Baton} facade routes. Off unless an {@code OpenTelemetry}
 * was given to {@code Baton.builder()}; the one implementation is {@code dev.baton.otel}'s, and nothing
 * here depends on OpenTelemetry, so the router runs without it on the classpath.
 */
@FunctionalInterface
public interface Tracing {

  /**
   * Starts tracing one request.
   *
   * @param operation what is asked for, named as the GenAI conventions name it: {@code chat},
   *     {@code text_completion} or {@code embeddings}
   * @param request the request: a {@code ChatRequest}, {@code CompletionRequest} or {@code EmbeddingRequest}
   * @param model the public model asked for
   * @param stream whether the answer is streamed
   */
  RequestTrace start(String operation, Object request, String model, boolean stream);

  /** Does nothing: the trace of every request when tracing is off. */
  Tracing NONE = (operation, request, model, stream) -> RequestTrace.NONE;

  /**
   * {@code work}, to run on another thread within the trace context of the thread calling this, so that
   * a request made there ({@code chatAsync}) is traced as a child of the caller's current span.
   */
  default Runnable inCallersContext(Runnable work) {
    return work;
  }

  /** Runs {@code answer} within the request's trace and ends the trace with how it went. */
  default <T> T traced(String operation, Object request, String model, Function<RequestTrace, T> answer) {
    RequestTrace trace = start(operation, request, model, false);
    T value = run(trace, answer);
    trace.answered(value);
    return value;
  }

  /**
   * Opens a stream within the request's trace; the trace ends when the stream does (completed, broken,
   * or closed early), so the stream returned is the one to hand out.
   */
  default ChatStream tracedStream(String operation, Object request, String model,
      Function<RequestTrace, ChatStream> open) {
    RequestTrace trace = start(operation, request, model, true);
    return trace.streaming(run(trace, open));
  }

  private static <T> T run(RequestTrace trace, Function<RequestTrace, T> work) {
    try {
      return work.apply(trace);
    } catch (RuntimeException e) {
      trace.failed(e);
      throw e;
    }
  }
}
