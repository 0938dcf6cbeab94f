package dev.baton.otel;

import dev.baton.router.RequestTrace;
import dev.baton.router.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.context.Context;

/**
 * Baton's tracing over an {@link OpenTelemetry}: each request's span starts as a child of the current
 * span (or is the server's {@link RequestSpan}), named {@code {operation} {model}} as the GenAI
 * conventions name inference spans.
 */
public final class OtelTracing implements Tracing {

  /** The instrumentation scope of every span Baton starts. */
  public static final String SCOPE = "dev.baton";

  private final Tracer tracer;

  private OtelTracing(OpenTelemetry openTelemetry) {
    TracerBuilder builder = openTelemetry.tracerBuilder(SCOPE);
    String version = OtelTracing.class.getPackage().getImplementationVersion();
    if (version != null) {
      builder.setInstrumentationVersion(version);
    }
    this.tracer = builder.build();
  }

  /**
   * Tracing with this OpenTelemetry.
   *
   * @param openTelemetry an {@code io.opentelemetry.api.OpenTelemetry}; typed {@code Object} so that the
   *     code calling this refers to no OpenTelemetry class, and loads none when it does not call it
   */
  public static Tracing of(Object openTelemetry) {
    return new OtelTracing((OpenTelemetry) openTelemetry);
  }

  @Override
  public Runnable inCallersContext(Runnable work) {
    return Context.current().wrap(work);
  }

  @Override
  public RequestTrace start(String operation, Object request, String model, boolean stream) {
    Context parent = Context.current();
    Span adopted = RequestSpan.in(parent);
    String name = operation + " " + model;
    Span span;
    if (adopted != null) {
      span = adopted;
      span.updateName(name);
    } else {
      span = tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.INTERNAL).startSpan();
    }
    span.setAttribute(GenAi.OPERATION_NAME, operation);
    span.setAttribute(GenAi.REQUEST_MODEL, model);
    if (stream) {
      span.setAttribute(GenAi.REQUEST_STREAM, true);
    }
    Attributes parameters = GenAi.requestParameters(request);
    span.setAllAttributes(parameters);
    return new OtelRequestTrace(tracer, span, parent.with(span), adopted == null, operation, model, stream,
        parameters);
  }
}
