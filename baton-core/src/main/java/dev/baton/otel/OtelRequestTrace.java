package dev.baton.otel;

import dev.baton.Attempt;
import dev.baton.BatonEvent;
import dev.baton.ChatResponse;
import dev.baton.ChatStream;
import dev.baton.CompletionResponse;
import dev.baton.EmbeddingResponse;
import dev.baton.provider.Call;
import dev.baton.router.AttemptTrace;
import dev.baton.router.RequestTrace;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One request's span and its attempts' spans. The request span carries the operation, the model asked
 * for, the answer (the model and deployment that gave it, usage, finish reasons), how many attempts it
 * took and whether it fell back; its events are the trail between attempts (retries, fallbacks, skipped
 * deployments, stream resumptions, hedges). Each attempt is a client span under it, and the upstream
 * request carries that span's {@code traceparent}: only that header, never the caller's trace state or
 * baggage.
 */
final class OtelRequestTrace implements RequestTrace {

  private static final String TRACEPARENT = "traceparent";
  private static final TextMapSetter<Call> TRACEPARENT_ONLY = (call, key, value) -> {
    if (call != null && TRACEPARENT.equals(key)) {
      call.header(TRACEPARENT, value);
    }
  };

  private final Tracer tracer;
  private final Span span;
  private final Context context;
  private final boolean owned;
  private final String operation;
  private final String model;
  private final boolean stream;
  private final Attributes parameters;
  private final long started = System.nanoTime();
  private final AtomicInteger attempts = new AtomicInteger();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile boolean fellBack;
  private volatile boolean answering;
  private volatile @Nullable Span lastAttempt;

  /**
   * @param context the request span's context, the parent of its attempts
   * @param owned whether this trace started the span and so ends it; a server's {@link RequestSpan} is
   *     ended by the server
   * @param parameters the request's sampling settings, for every attempt's span too
   */
  OtelRequestTrace(Tracer tracer, Span span, Context context, boolean owned, String operation, String model,
      boolean stream, Attributes parameters) {
    this.tracer = tracer;
    this.span = span;
    this.context = context;
    this.owned = owned;
    this.operation = operation;
    this.model = model;
    this.stream = stream;
    this.parameters = parameters;
  }

  @Override
  public AttemptTrace attempt(String deploymentModel, String deployment, String provider, String upstreamModel,
      Call call) {
    var builder = tracer.spanBuilder(operation + " " + upstreamModel)
        .setParent(context)
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute(GenAi.OPERATION_NAME, operation)
        .setAttribute(GenAi.PROVIDER_NAME, GenAi.provider(provider))
        .setAttribute(GenAi.REQUEST_MODEL, upstreamModel)
        .setAttribute(GenAi.ATTEMPT, attempts.incrementAndGet())
        .setAttribute(GenAi.MODEL, deploymentModel)
        .setAttribute(GenAi.DEPLOYMENT, deployment)
        .setAttribute(GenAi.FALLBACK, !deploymentModel.equals(model))
        .setAllAttributes(parameters);
    if (stream) {
      builder.setAttribute(GenAi.REQUEST_STREAM, true);
    }
    if (answering) {
      // The stream had started and broke: this attempt continues it.
      builder.setAttribute(GenAi.CONTINUATION, true);
    }
    Span attempt = builder.startSpan();
    lastAttempt = attempt;
    W3CTraceContextPropagator.getInstance().inject(context.with(attempt), call, TRACEPARENT_ONLY);
    return new OtelAttemptTrace(attempt, stream, this);
  }

  /** An attempt of this request started answering. */
  void answering() {
    answering = true;
  }

  @Override
  public void onEvent(BatonEvent event) {
    switch (event) {
      case BatonEvent.AttemptFinished finished when finished.attempt().outcome() == Attempt.Outcome.SKIPPED -> {
        Attempt a = finished.attempt();
        span.addEvent("baton.skipped", Attributes.of(GenAi.DEPLOYMENT, a.deployment(),
            GenAi.REASON, a.error() == null ? "cooling_down" : a.error().kind()));
      }
      case BatonEvent.Retrying retry -> span.addEvent("baton.retrying", Attributes.of(
          GenAi.DEPLOYMENT, retry.deployment(), GenAi.RETRY, (long) retry.retry(),
          GenAi.DELAY_MS, retry.delay().toMillis(), GenAi.ERROR_TYPE, retry.cause().kind()));
      case BatonEvent.FallingBack fallback -> {
        fellBack = true;
        span.addEvent("baton.falling_back", Attributes.of(GenAi.FROM, fallback.from(), GenAi.TO, fallback.to(),
            GenAi.ERROR_TYPE, fallback.cause() == null ? "no_deployment_available" : fallback.cause().kind()));
      }
      case BatonEvent.StreamResumed resumed -> span.addEvent("baton.stream_resumed", Attributes.of(
          GenAi.FROM, resumed.from(), GenAi.TO, resumed.to(),
          GenAi.CHARACTERS_KEPT, (long) resumed.charactersKept(), GenAi.ERROR_TYPE, resumed.cause().kind()));
      case BatonEvent.Hedged hedged -> {
        span.addEvent("baton.hedged", Attributes.of(GenAi.FROM, hedged.waiting(), GenAi.TO, hedged.started(),
            GenAi.DELAY_MS, hedged.after().toMillis()));
        Span second = lastAttempt;
        if (second != null) {
          second.setAttribute(GenAi.HEDGED, true);
        }
      }
      default -> {}
    }
  }

  @Override
  public void answered(Object answer) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    GenAi.answer(span, answer);
    List<Attempt> trail = switch (answer) {
      case ChatResponse r -> r.attempts();
      case CompletionResponse r -> r.attempts();
      case EmbeddingResponse r -> r.attempts();
      default -> List.of();
    };
    finish(trail, null);
  }

  @Override
  public void failed(RuntimeException failure) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    finish(failure instanceof dev.baton.BatonException b ? b.attempts() : List.of(), failure);
  }

  @Override
  public ChatStream streaming(ChatStream answer) {
    span.setAttribute(GenAi.TIME_TO_FIRST_CHUNK, GenAi.seconds(System.nanoTime() - started));
    return new TracedStream(answer, this);
  }

  /** The stream ended: completed (no failure), broke ({@code failure}), or was closed early ({@code cancelled}). */
  void streamEnded(ChatStream answer, List<String> finishReasons, @Nullable String upstreamModel, String id,
      @Nullable RuntimeException failure, boolean cancelled) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    if (upstreamModel != null && !upstreamModel.isEmpty()) {
      span.setAttribute(GenAi.RESPONSE_MODEL, upstreamModel);
    }
    if (!id.isEmpty()) {
      span.setAttribute(GenAi.RESPONSE_ID, id);
    }
    if (answer.usage() != null) {
      GenAi.usage(span, answer.usage());
    }
    if (!finishReasons.isEmpty()) {
      span.setAttribute(GenAi.FINISH_REASONS, finishReasons);
    } else if (failure != null || cancelled) {
      span.setAttribute(GenAi.FINISH_REASONS, List.of("error"));
    }
    if (cancelled) {
      span.setAttribute(GenAi.OUTCOME, "cancelled");
      attributesOfTrail(answer.attempts());
      if (owned) {
        span.end();
      }
      return;
    }
    finish(answer.attempts(), failure);
  }

  private void finish(List<Attempt> trail, @Nullable RuntimeException failure) {
    attributesOfTrail(trail);
    if (failure == null) {
      span.setAttribute(GenAi.OUTCOME, "succeeded");
    } else {
      String type = GenAi.errorType(failure);
      span.setAttribute(GenAi.OUTCOME, "failed");
      span.setAttribute(GenAi.ERROR_TYPE, type);
      span.setStatus(StatusCode.ERROR, type);
    }
    if (owned) {
      span.end();
    }
  }

  /** Who answered (or was tried last), how many attempts went upstream, and whether it fell back. */
  private void attributesOfTrail(List<Attempt> trail) {
    Attempt answeredBy = null;
    Attempt lastSent = null;
    int sent = 0;
    for (Attempt a : trail) {
      if (a.wentUpstream()) {
        sent++;
        lastSent = a;
      }
      if (a.outcome() == Attempt.Outcome.SUCCEEDED) {
        answeredBy = a;
      }
    }
    Attempt shown = answeredBy != null ? answeredBy : lastSent;
    if (shown != null) {
      span.setAttribute(GenAi.PROVIDER_NAME, GenAi.provider(shown.provider()));
    }
    if (answeredBy != null) {
      span.setAttribute(GenAi.SERVED_BY, answeredBy.deployment());
      span.setAttribute(GenAi.MODEL, answeredBy.model());
    }
    span.setAttribute(GenAi.ATTEMPTS, sent);
    span.setAttribute(GenAi.FALLBACK, fellBack || (answeredBy != null && !answeredBy.model().equals(model)));
  }

  static String outcome(Attempt.Outcome outcome) {
    return outcome.name().toLowerCase(Locale.ROOT);
  }
}
