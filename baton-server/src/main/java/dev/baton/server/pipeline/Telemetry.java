package dev.baton.server.pipeline;

import dev.baton.otel.OtelTracing;
import dev.baton.otel.RequestSpan;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A server span for every request, continuing the caller's W3C {@code traceparent} (and whatever else
 * {@code OTEL_PROPAGATORS} reads). While the request runs the span is Baton's {@link RequestSpan}: the
 * router names it after the GenAI operation ({@code chat smart}), adds the GenAI attributes and the
 * fallback trail, and hangs a client span per upstream attempt under it, each sent upstream as that
 * attempt's own {@code traceparent}. A request refused before it reaches the router keeps the HTTP
 * name ({@code POST /v1/chat/completions}). The span ends once the answer is over, a stream's last
 * event included, with the status the caller got.
 */
public final class Telemetry implements Filter {

  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
  private static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("baton.request_id");

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final Map<String, HeaderName> headers = new ConcurrentHashMap<>();
  private final TextMapGetter<HttpCall> getter = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(HttpCall carrier) {
      return List.of();
    }

    @Override
    public @Nullable String get(@Nullable HttpCall carrier, String key) {
      return carrier == null ? null : carrier.header(headers.computeIfAbsent(key, HeaderNames::create));
    }
  };

  public Telemetry(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer(OtelTracing.SCOPE);
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    for (String field : propagator.fields()) {
      headers.put(field, HeaderNames.create(field));
    }
  }

  @Override
  public void handle(Exchange exchange, Chain chain) {
    Context caller = propagator.extract(Context.root(), exchange.http(), getter);
    Span span = tracer.spanBuilder(exchange.method() + " " + exchange.route())
        .setParent(caller)
        .setSpanKind(SpanKind.SERVER)
        .setAttribute(METHOD, exchange.method())
        .setAttribute(ROUTE, exchange.route())
        .setAttribute(PATH, exchange.http().path())
        .setAttribute(SCHEME, "http")
        .startSpan();
    try (Scope ignored = RequestSpan.adopt(caller, span).makeCurrent()) {
      chain.proceed();
    } finally {
      ended(span, exchange);
    }
  }

  private static void ended(Span span, Exchange exchange) {
    int status = exchange.status();
    span.setAttribute(STATUS, status);
    if (exchange.requestId() != null) {
      span.setAttribute(REQUEST_ID, exchange.requestId());
    }
    String error = exchange.error();
    // The router has named its own failures (rate_limited, timeout, ...); the rest are the gateway's:
    // a refusal (invalid_api_key), an unreadable request, a caller that went away.
    if (error != null && !(span instanceof ReadableSpan readable && readable.getAttribute(ERROR_TYPE) != null)) {
      span.setAttribute(ERROR_TYPE, error);
    }
    if (status >= 500) {
      span.setStatus(StatusCode.ERROR, error == null ? Integer.toString(status) : error);
    }
    span.end();
  }
}
