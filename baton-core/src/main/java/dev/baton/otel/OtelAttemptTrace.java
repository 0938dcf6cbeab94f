package dev.baton.otel;

import dev.baton.Attempt;
import dev.baton.ChatChunk;
import dev.baton.UpstreamException;
import dev.baton.router.AttemptTrace;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One attempt's client span: what the deployment answered (for a stream, gathered from its chunks), or
 * how it failed — {@code error.type} the failure's kind, with the upstream's status and error code — and
 * ended with the attempt.
 */
final class OtelAttemptTrace implements AttemptTrace {

  private final Span span;
  private final boolean stream;
  private final OtelRequestTrace request;
  private final long started = System.nanoTime();
  private boolean answered;
  private @Nullable List<String> finishReasons;
  private @Nullable String responseModel;
  private @Nullable String responseId;
  private dev.baton.@Nullable Usage usage;

  OtelAttemptTrace(Span span, boolean stream, OtelRequestTrace request) {
    this.span = span;
    this.stream = stream;
    this.request = request;
  }

  @Override
  public void answering() {
    answered = true;
    if (stream) {
      span.setAttribute(GenAi.TIME_TO_FIRST_CHUNK, GenAi.seconds(System.nanoTime() - started));
      request.answering();
    }
  }

  @Override
  public void answer(Object answer) {
    GenAi.answer(span, answer);
  }

  @Override
  public void chunk(ChatChunk chunk) {
    if (!chunk.upstreamModel().isEmpty()) {
      responseModel = chunk.upstreamModel();
    }
    if (!chunk.id().isEmpty()) {
      responseId = chunk.id();
    }
    if (chunk.usage() != null) {
      usage = chunk.usage();
    }
    if (chunk.finishReason() != null) {
      if (finishReasons == null) {
        finishReasons = new ArrayList<>(1);
      }
      finishReasons.add(chunk.finishReason().wire());
    }
  }

  @Override
  public void ended(Attempt attempt) {
    if (stream) {
      if (responseModel != null) {
        span.setAttribute(GenAi.RESPONSE_MODEL, responseModel);
      }
      if (responseId != null) {
        span.setAttribute(GenAi.RESPONSE_ID, responseId);
      }
      if (usage != null) {
        // Only what the provider reported for this attempt: one that broke off reports none.
        GenAi.usage(span, usage);
      }
      if (finishReasons != null) {
        span.setAttribute(GenAi.FINISH_REASONS, finishReasons);
      } else if (answered) {
        // It started answering and ended without a finish: the conventions' "error".
        span.setAttribute(GenAi.FINISH_REASONS, List.of("error"));
      }
    }
    span.setAttribute(GenAi.OUTCOME, OtelRequestTrace.outcome(attempt.outcome()));
    UpstreamException e = attempt.error();
    if (attempt.outcome() == Attempt.Outcome.FAILED && e != null) {
      span.setAttribute(GenAi.ERROR_TYPE, e.kind());
      if (e.httpStatus() > 0) {
        span.setAttribute(GenAi.HTTP_STATUS, e.httpStatus());
      }
      if (e.upstreamCode() != null) {
        span.setAttribute(GenAi.UPSTREAM_CODE, e.upstreamCode());
      }
      span.setStatus(StatusCode.ERROR, e.kind());
    }
    span.end();
  }
}
