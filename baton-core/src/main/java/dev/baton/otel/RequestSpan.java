package dev.baton.otel;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import org.jspecify.annotations.Nullable;

/**
 * A span that stands for a whole request, started by a server in front of Baton (the gateway's server
 * span). A request Baton traces while that span is current does not start a span of its own: it names
 * the server's span after the GenAI operation, adds its attributes and the fallback trail to it, and hangs
 * its attempt spans under it — so a gateway request is one server span with one child per attempt. The
 * server ends the span.
 */
public final class RequestSpan {

  private static final ContextKey<Span> KEY = ContextKey.named("dev.baton.request-span");

  private RequestSpan() {}

  /** {@code context} with {@code span} current and marked as the request's span. */
  public static Context adopt(Context context, Span span) {
    return context.with(span).with(KEY, span);
  }

  /** The request span of {@code context}, if it has one and it is still the current span there. */
  static @Nullable Span in(Context context) {
    Span span = context.get(KEY);
    return span != null && Span.fromContext(context) == span ? span : null;
  }
}
