package dev.baton.provider;

import dev.baton.AuthenticationException;
import dev.baton.BadRequestException;
import dev.baton.ContentPolicyException;
import dev.baton.ContextWindowExceededException;
import dev.baton.NotFoundException;
import dev.baton.QuotaExceededException;
import dev.baton.RateLimitedException;
import dev.baton.ServerErrorException;
import dev.baton.UpstreamException;
import dev.baton.UpstreamException.Source;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The one place an upstream's failure is classified. Structured signals decide first (status, then the
 * provider's error codes and types); the message text is read only for what some providers say in no
 * other way — a context window exceeded, a content-policy refusal, a spend limit reached, a key or a model
 * refused with a plain 400 — and only on a 4xx that is not a throttle (an exhausted account's 429 is the
 * one exception). Each phrase below is pinned by a test with the provider message it comes from.
 */
public final class UpstreamErrors {

  private static final Set<String> CONTEXT_CODES = Set.of(
      "context_length_exceeded", "exceed_context_size_error", "context_window_exceeded",
      "model_context_window_exceeded", "context_length_exceeded_error",
      // Anthropic's 413 for a body over its 32 MB: too big for this deployment, perhaps not for the next.
      "request_too_large");
  private static final Set<String> CONTENT_CODES = Set.of(
      "content_policy_violation", "content_filter", "responsibleaipolicyviolation", "content_blocked",
      "safety", "prohibited_content", "blocklist", "spii", "guardrail_intervened", "content_filtered");
  private static final Set<String> QUOTA_CODES = Set.of(
      "insufficient_quota", "billing_error", "billing_hard_limit_reached", "insufficient_balance",
      "payment_required",
      // Anthropic's 429 once an organization's monthly spend cap is reached: waiting minutes will not help.
      "enforced_spend_limit_reached");
  private static final Set<String> AUTH_CODES = Set.of(
      "invalid_api_key", "authentication_error", "permission_error", "api_key_invalid", "unauthenticated",
      "permission_denied", "invalid_authentication", "accessdeniedexception", "unrecognizedclientexception",
      "invalidsignatureexception", "expiredtokenexception", "incompletesignatureexception", "unauthorized",
      // Gemini's 400 FAILED_PRECONDITION: "User location is not supported", billing not enabled. The account
      // cannot use this deployment; another may serve the request.
      "failed_precondition");
  private static final Set<String> RATE_CODES = Set.of(
      "rate_limit_exceeded", "rate_limit_error", "resource_exhausted", "throttlingexception",
      "too_many_requests", "toomanyrequestsexception", "servicequotaexceededexception");
  private static final Set<String> NOT_FOUND_CODES = Set.of(
      "model_not_found", "not_found_error", "not_found", "resourcenotfoundexception", "deploymentnotfound",
      "model_not_supported");
  private static final Set<String> SERVER_CODES = Set.of(
      "server_error", "api_error", "overloaded_error", "internal", "unavailable", "internal_server_error",
      "internalserverexception", "serviceunavailableexception", "modeltimeoutexception",
      "modelnotreadyexception", "modelstreamerrorexception", "modelerrorexception", "deadline_exceeded",
      "unavailable_error", "timeout",
      // Text Generation Inference's error_type while it is saturated.
      "overloaded");

  /** Message phrases, lower case, that mean the prompt does not fit the model. */
  static final List<String> CONTEXT_PHRASES = List.of(
      "maximum context length",                  // OpenAI, Mistral, Groq
      "context length is only",                  // vLLM
      "context_length_exceeded",
      "prompt is too long",                      // Anthropic
      "input is too long",                       // Bedrock
      "exceeds the maximum number of tokens",    // Gemini
      "exceeds the available context size",      // llama.cpp
      "exceeds the context length",              // Ollama: "the input length exceeds the context length"
      "exceeds the context window",
      "context window exceeded",
      "reduce the length of the messages",       // OpenAI (older), Groq
      // Cohere says "too many tokens" for prompts that do not fit, but also for a max_tokens above the model's
      // output limit, which is a wrong request (as at OpenAI): only the prompt forms are listed.
      "too many tokens: total number of tokens", // Cohere: "...in the prompt cannot exceed", "(prompt and
      "too many tokens: the total number of",    //   prediction) cannot exceed", "...in the prompt exceeds"
      "too many tokens: size limit exceeded",    // Cohere: documents or history over the limit
      "maximum prompt length",                   // xAI
      "is longer than the model's context length", // Together, SGLang
      "is longer than the maximum model length", // vLLM before 0.16
      "too long to fit into the model",          // vLLM before 0.16
      "greater than the context length",         // LM Studio
      "exceed context limit",                    // Anthropic: "input length and `max_tokens` exceed context limit"
      "tokens + `max_new_tokens` must be <=",    // Text Generation Inference
      "`inputs` must have less than");           // Text Generation Inference: "...less than 4096 tokens"

  /** Message phrases, lower case, that mean a content-policy refusal. */
  static final List<String> CONTENT_PHRASES = List.of(
      "content management policy",               // Azure OpenAI
      "content policy",                          // OpenAI, many
      "content_policy_violation",
      "safety system",                           // OpenAI
      "violating our usage policy",              // OpenAI
      "responsibleaipolicyviolation",
      "blocked by the content filter",
      "content filtering policies",
      "content exists risk");                    // DeepSeek

  /** Message phrases, lower case, that mean the account's spend limit is reached. */
  static final List<String> QUOTA_PHRASES = List.of(
      "api usage limits");                       // Anthropic's 400 invalid_request_error at a spend limit

  /**
   * Message phrases, lower case, of throttles that are really an exhausted account: waiting minutes will
   * not help, another deployment will. Read on 429s too, which no other phrase is.
   */
  static final List<String> THROTTLE_QUOTA_PHRASES = List.of(
      "used all available credits",              // xAI: "...has either used all available credits or reached
      "reached its monthly spending limit");     //   its monthly spending limit"

  /** Message phrases, lower case, of a key refused with a 400 rather than a 401. */
  static final List<String> AUTH_PHRASES = List.of(
      "incorrect api key provided");             // xAI's 400 for a wrong key

  /** Message phrases, lower case, of a model the upstream does not serve, said with a 400. */
  static final List<String> NOT_FOUND_PHRASES = List.of(
      "is not supported by any provider you have enabled"); // Hugging Face's router

  private UpstreamErrors() {}

  /**
   * Classifies an error the upstream reported.
   *
   * @param call the attempt
   * @param status the HTTP status, or 0 for an error reported inside a stream
   * @param retryAfter how long the upstream asked us to wait, if it did
   * @param details what the error body said
   * @param secret the deployment's key, removed from the message if the upstream echoed it
   */
  public static UpstreamException classify(
      Call call, int status, @Nullable Duration retryAfter, ErrorDetails details, @Nullable String secret) {
    String message = Redaction.clean(details.message(), secret);
    Source source = call.source(status, details.primaryCode(), retryAfter);
    String text = describe(status, message, details.primaryCode());
    // A throttle is never read for phrases: Bedrock's "Too many tokens, please wait before trying again."
    // (429 ThrottlingException) is a rate limit, not the context window Cohere's "too many tokens" means.
    boolean throttled = status == 429 || anyCode(details, RATE_CODES);
    boolean readPhrases = (status >= 400 && status < 500 || status == 0) && !throttled;
    String lower = message.toLowerCase(Locale.ROOT);

    if (anyCode(details, CONTEXT_CODES) || (readPhrases && anyPhrase(lower, CONTEXT_PHRASES))) {
      return new ContextWindowExceededException(source, text);
    }
    if (anyCode(details, CONTENT_CODES) || (readPhrases && anyPhrase(lower, CONTENT_PHRASES))) {
      return new ContentPolicyException(source, text);
    }
    if (status == 402 || anyCode(details, QUOTA_CODES) || (readPhrases && anyPhrase(lower, QUOTA_PHRASES))
        || anyPhrase(lower, THROTTLE_QUOTA_PHRASES)) {
      return new QuotaExceededException(source, text);
    }
    if (status == 401 || status == 403 || status == 498 || anyCode(details, AUTH_CODES)
        || (readPhrases && anyPhrase(lower, AUTH_PHRASES))) {
      return new AuthenticationException(source, text);
    }
    if (status == 429 || anyCode(details, RATE_CODES)) {
      return new RateLimitedException(source, text);
    }
    if (status == 404 || anyCode(details, NOT_FOUND_CODES) || (readPhrases && anyPhrase(lower, NOT_FOUND_PHRASES))) {
      return new NotFoundException(source, text);
    }
    if (status >= 500 || status == 408 || status == 409 || status == 499 || status == 0
        || anyCode(details, SERVER_CODES)) {
      return new ServerErrorException(source, text);
    }
    if (status >= 400) {
      return new BadRequestException(source, text);
    }
    // An error object under a success status (LM Studio answers unknown routes with 200): a server fault.
    return new ServerErrorException(source, text);
  }

  private static boolean anyCode(ErrorDetails details, Set<String> codes) {
    for (String code : details.codes()) {
      if (codes.contains(code.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyPhrase(String lowerMessage, List<String> phrases) {
    for (String phrase : phrases) {
      if (lowerMessage.contains(phrase)) {
        return true;
      }
    }
    return false;
  }

  private static String describe(int status, String message, @Nullable String code) {
    StringBuilder text = new StringBuilder();
    if (status > 0) {
      text.append(status);
    } else {
      text.append("error in stream");
    }
    if (code != null) {
      text.append(' ').append(code);
    }
    if (!message.isEmpty()) {
      text.append(": ").append(message);
    }
    return text.toString();
  }
}
