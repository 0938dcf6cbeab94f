package dev.baton.otel;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import dev.baton.AllModelsFailedException;
import dev.baton.BatonException;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.Choice;
import dev.baton.CompletionRequest;
import dev.baton.CompletionResponse;
import dev.baton.EmbeddingResponse;
import dev.baton.UpstreamException;
import dev.baton.Usage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * The attributes Baton's spans carry, and how Baton's values are written in them. The {@code gen_ai.*}
 * names and values are the OpenTelemetry GenAI semantic conventions' (v1.41.1, the last release that has
 * them; checked against the semantic-conventions-genai registry), the rest are Baton's own for the
 * fallback trail.
 */
final class GenAi {

  static final AttributeKey<String> OPERATION_NAME = stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER_NAME = stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = stringKey("gen_ai.request.model");
  static final AttributeKey<Boolean> REQUEST_STREAM = booleanKey("gen_ai.request.stream");
  static final AttributeKey<Long> MAX_TOKENS = longKey("gen_ai.request.max_tokens");
  static final AttributeKey<Double> TEMPERATURE = doubleKey("gen_ai.request.temperature");
  static final AttributeKey<Double> TOP_P = doubleKey("gen_ai.request.top_p");
  static final AttributeKey<Double> FREQUENCY_PENALTY = doubleKey("gen_ai.request.frequency_penalty");
  static final AttributeKey<Double> PRESENCE_PENALTY = doubleKey("gen_ai.request.presence_penalty");
  static final AttributeKey<List<String>> STOP_SEQUENCES = stringArrayKey("gen_ai.request.stop_sequences");
  static final AttributeKey<Long> SEED = longKey("gen_ai.request.seed");
  static final AttributeKey<Long> CHOICE_COUNT = longKey("gen_ai.request.choice.count");
  static final AttributeKey<String> RESPONSE_MODEL = stringKey("gen_ai.response.model");
  static final AttributeKey<String> RESPONSE_ID = stringKey("gen_ai.response.id");
  static final AttributeKey<List<String>> FINISH_REASONS = stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<Double> TIME_TO_FIRST_CHUNK = doubleKey("gen_ai.response.time_to_first_chunk");
  static final AttributeKey<Long> INPUT_TOKENS = longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS = longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<Long> CACHE_READ_TOKENS = longKey("gen_ai.usage.cache_read.input_tokens");
  static final AttributeKey<Long> CACHE_CREATION_TOKENS = longKey("gen_ai.usage.cache_creation.input_tokens");
  static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");
  static final AttributeKey<Long> HTTP_STATUS = longKey("http.response.status_code");

  /** On an attempt span: its number within the request, from 1, in the order attempts started. */
  static final AttributeKey<Long> ATTEMPT = longKey("baton.attempt");
  /** On a request span: how many attempts went upstream. */
  static final AttributeKey<Long> ATTEMPTS = longKey("baton.attempts");
  /** On an attempt span: it asks a fallback model; on a request span: the request moved to a fallback. */
  static final AttributeKey<Boolean> FALLBACK = booleanKey("baton.fallback");
  static final AttributeKey<String> MODEL = stringKey("baton.model");
  static final AttributeKey<String> DEPLOYMENT = stringKey("baton.deployment");
  static final AttributeKey<String> SERVED_BY = stringKey("baton.served_by");
  static final AttributeKey<String> OUTCOME = stringKey("baton.outcome");
  static final AttributeKey<String> UPSTREAM_CODE = stringKey("baton.error.code");
  static final AttributeKey<Boolean> CONTINUATION = booleanKey("baton.continuation");
  static final AttributeKey<Boolean> HEDGED = booleanKey("baton.hedged");

  // The attributes of the fallback trail's events.
  static final AttributeKey<String> FROM = stringKey("baton.from");
  static final AttributeKey<String> TO = stringKey("baton.to");
  static final AttributeKey<String> REASON = stringKey("baton.reason");
  static final AttributeKey<Long> RETRY = longKey("baton.retry");
  static final AttributeKey<Long> DELAY_MS = longKey("baton.delay_ms");
  static final AttributeKey<Long> CHARACTERS_KEPT = longKey("baton.characters_kept");

  private GenAi() {}

  /**
   * The conventions' name for a provider where they have one ({@code gemini} is {@code gcp.gemini}, an
   * OpenAI-compatible server speaks {@code openai}); otherwise Baton's own name.
   */
  static String provider(String baton) {
    return switch (baton) {
      case "openai-compatible" -> "openai";
      case "gemini" -> "gcp.gemini";
      case "vertex", "vertex_ai" -> "gcp.vertex_ai";
      case "bedrock" -> "aws.bedrock";
      case "azure" -> "azure.ai.openai";
      case "mistral" -> "mistral_ai";
      case "xai" -> "x_ai";
      case "watsonx" -> "ibm.watsonx.ai";
      default -> baton;
    };
  }

  /**
   * A failure's low-cardinality class for {@code error.type}: an upstream failure's kind
   * ({@code rate_limited}, {@code timeout}, ...), for a request that ran out of models the last one's.
   */
  static String errorType(Throwable e) {
    return switch (e) {
      case AllModelsFailedException all -> all.lastFailure().kind();
      case UpstreamException upstream -> upstream.kind();
      case BatonException other -> other.code() != null ? other.code() : other.type();
      case CancellationException cancelled -> "cancelled";
      default -> e.getClass().getName();
    };
  }

  /**
   * The request's sampling settings the caller set, as the conventions name them; never its messages,
   * prompt or input, which may hold anything.
   */
  static Attributes requestParameters(Object request) {
    AttributesBuilder a = Attributes.builder();
    switch (request) {
      case ChatRequest r -> {
        putIfSet(a, MAX_TOKENS, r.outputLimit() == null ? null : r.outputLimit().longValue());
        putIfSet(a, TEMPERATURE, r.temperature());
        putIfSet(a, TOP_P, r.topP());
        putIfSet(a, FREQUENCY_PENALTY, r.frequencyPenalty());
        putIfSet(a, PRESENCE_PENALTY, r.presencePenalty());
        putIfSet(a, SEED, r.seed());
        if (!r.stop().isEmpty()) {
          a.put(STOP_SEQUENCES, r.stop());
        }
        if (r.n() != null && r.n() != 1) {
          a.put(CHOICE_COUNT, r.n().longValue());
        }
      }
      case CompletionRequest r -> {
        putIfSet(a, MAX_TOKENS, r.maxTokens() == null ? null : r.maxTokens().longValue());
        putIfSet(a, TEMPERATURE, r.temperature());
        putIfSet(a, TOP_P, r.topP());
        putIfSet(a, SEED, r.seed());
        if (!r.stop().isEmpty()) {
          a.put(STOP_SEQUENCES, r.stop());
        }
      }
      default -> {}
    }
    return a.build();
  }

  private static <T> void putIfSet(AttributesBuilder attributes, AttributeKey<T> key, @Nullable T value) {
    if (value != null) {
      attributes.put(key, value);
    }
  }

  /** Writes what an answer says about itself: the model that gave it, its id, usage and finish reasons. */
  static void answer(Span span, Object answer) {
    switch (answer) {
      case ChatResponse r -> {
        response(span, r.upstreamModel(), r.id(), r.usage());
        List<String> reasons = new ArrayList<>(r.choices().size());
        for (Choice c : r.choices()) {
          reasons.add(c.finishReason() == null ? "error" : c.finishReason().wire());
        }
        span.setAttribute(FINISH_REASONS, reasons);
      }
      case CompletionResponse r -> {
        response(span, r.upstreamModel(), r.id(), r.usage());
        List<String> reasons = new ArrayList<>(r.choices().size());
        for (CompletionResponse.Choice c : r.choices()) {
          reasons.add(c.finishReason() == null ? "error" : c.finishReason().wire());
        }
        span.setAttribute(FINISH_REASONS, reasons);
      }
      case EmbeddingResponse r -> response(span, r.upstreamModel(), "", r.usage());
      default -> {}
    }
  }

  static void response(Span span, String upstreamModel, String id, Usage usage) {
    if (!upstreamModel.isEmpty()) {
      span.setAttribute(RESPONSE_MODEL, upstreamModel);
    }
    if (!id.isEmpty()) {
      span.setAttribute(RESPONSE_ID, id);
    }
    usage(span, usage);
  }

  static void usage(Span span, Usage usage) {
    span.setAttribute(INPUT_TOKENS, usage.promptTokens());
    span.setAttribute(OUTPUT_TOKENS, usage.completionTokens());
    if (usage.cachedTokens() > 0) {
      span.setAttribute(CACHE_READ_TOKENS, usage.cachedTokens());
    }
    if (usage.cacheWriteTokens() > 0) {
      span.setAttribute(CACHE_CREATION_TOKENS, usage.cacheWriteTokens());
    }
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
