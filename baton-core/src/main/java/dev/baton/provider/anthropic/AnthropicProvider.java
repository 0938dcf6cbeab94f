package dev.baton.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.ChatChunk;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.ContentPolicyException;
import dev.baton.FinishReason;
import dev.baton.Role;
import dev.baton.ToolCall;
import dev.baton.ToolCallDelta;
import dev.baton.UnreadableResponseException;
import dev.baton.UpstreamException;
import dev.baton.config.Secret;
import dev.baton.provider.Call;
import dev.baton.provider.Capabilities;
import dev.baton.provider.ChunkSource;
import dev.baton.provider.ErrorDetails;
import dev.baton.provider.MessagesBody;
import dev.baton.provider.MessagesNative;
import dev.baton.provider.Provider;
import dev.baton.provider.UpstreamErrors;
import dev.baton.transport.HttpResult;
import dev.baton.transport.HttpStream;
import dev.baton.transport.HttpTransport;
import dev.baton.transport.RetryAfter;
import dev.baton.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A deployment on Anthropic's Messages API. Requests are translated by {@link MessagesRequest}, answers
 * read by {@link MessagesResponse} and streams by {@link MessagesStream}; every failure goes through
 * {@link UpstreamErrors} with the key, so an upstream message that echoes it never shows it.
 *
 * <p>A refusal ({@code stop_reason: "refusal"}) with no answer at all is a {@link ContentPolicyException},
 * so the router can turn to the content-policy fallbacks; one that cut an answer short returns that answer
 * with finish reason {@code content_filter}, as OpenAI does for its own filter. Anthropic has no
 * embeddings and no legacy completions: completions are chats, as the {@link Provider} defaults make them.
 *
 * <p>A request that came in as a Messages body ({@link MessagesBody}, the gateway's {@code /v1/messages})
 * is passed through: the caller's bytes with only {@code model} rewritten, its {@code anthropic-version} and
 * {@code anthropic-beta} headers, and the answer's own bytes carried back beside what the router reads of it.
 */
public final class AnthropicProvider implements Provider, MessagesNative {

  /** The API version every request names; the one Anthropic's SDKs send. */
  static final String API_VERSION = "2023-06-01";

  private static final int MAX_ERROR_BODY = 64 * 1024;

  private final URI messages;
  private final Secret key;
  private final String model;
  private final int defaultMaxTokens;
  private final HttpTransport http;
  private final Capabilities capabilities;

  /**
   * @param messages the URI of the Messages endpoint, such as {@code https://api.anthropic.com/v1/messages}
   * @param model the Anthropic model id
   * @param defaultMaxTokens the output limit of requests that set none, which Anthropic requires
   */
  public AnthropicProvider(
      URI messages, Secret key, String model, int defaultMaxTokens, HttpTransport http, Capabilities capabilities) {
    this.messages = messages;
    this.key = key;
    this.model = model;
    this.defaultMaxTokens = defaultMaxTokens;
    this.http = http;
    this.capabilities = capabilities;
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public ChatResponse chat(ChatRequest request, Call call) {
    if (request.source() instanceof MessagesBody callers) {
      return passThrough(callers, call);
    }
    MessagesRequest.Body body = MessagesRequest.write(request, model, defaultMaxTokens, false, call);
    HttpResult result = http.send(call, post(body.json()));
    if (!result.isSuccess()) {
      throw error(call, result.status(), result.headers(), result.body());
    }
    JsonNode root = call.json(result.body());
    if ("error".equals(Json.text(root, "type"))) {
      throw UpstreamErrors.classify(call, result.status(), RetryAfter.parse(result.headers()),
          MessagesResponse.error(root), key.reveal());
    }
    return unlessRefused(call, read(call, root, body.cutWhitespace()));
  }

  @Override
  public ChunkSource streamChat(ChatRequest request, Call call) {
    if (request.source() instanceof MessagesBody callers) {
      return streamPassThrough(callers, call);
    }
    MessagesRequest.Body body = MessagesRequest.write(request, model, defaultMaxTokens, true, call);
    HttpStream stream = http.stream(call, post(body.json()));
    if (!stream.isSuccess()) {
      throw error(call, stream.status(), stream.headers(), stream.readAll(MAX_ERROR_BODY));
    }
    if (isWhole(stream)) {
      return wholeAnswerAsStream(call, readWhole(call, stream, body.cutWhitespace()));
    }
    LeadingWhitespace prefill = new LeadingWhitespace(body.cutWhitespace());
    long created = Instant.now().getEpochSecond();
    return ChunkSource.over(stream, new MessagesStream(call, stream, model, key.reveal(), prefill, created));
  }

  /** Whether a stream asked for came as one JSON body: a proxy that buffers, or an error with a success status. */
  private static boolean isWhole(HttpStream stream) {
    return stream.headers().firstValue("content-type").orElse("").startsWith("application/json");
  }

  private ChatResponse readWhole(Call call, HttpStream stream, String cutWhitespace) {
    byte[] whole = stream.readAll(MAX_ERROR_BODY * 16);
    JsonNode root = call.json(whole);
    if ("error".equals(Json.text(root, "type")) || root.has("error")) {
      throw UpstreamErrors.classify(call, 0, null, MessagesResponse.error(root), key.reveal());
    }
    return read(call, root, cutWhitespace);
  }

  private HttpRequest post(byte[] body) {
    return post(messages, body, null, null);
  }

  /** A request with the caller's {@code anthropic-version} (else Baton's) and {@code anthropic-beta}, if any. */
  private HttpRequest post(URI uri, byte[] body, @Nullable String version, @Nullable String beta) {
    HttpRequest.Builder request = HttpTransport.request(uri)
        .header("content-type", "application/json")
        .header("x-api-key", key.reveal())
        .header("anthropic-version", version != null ? version : API_VERSION)
        .POST(HttpTransport.body(body));
    if (beta != null) {
      request.header("anthropic-beta", beta);
    }
    return request.build();
  }

  // The caller's Messages body, passed through.

  private ChatResponse passThrough(MessagesBody callers, Call call) {
    HttpResult result = http.send(call, post(messages, callers.write(model), callers.version(), callers.beta()));
    if (!result.isSuccess()) {
      throw error(call, result.status(), result.headers(), result.body());
    }
    ChatResponse response;
    try {
      response = MessagesResponse.passedThrough(result.body(), model, Instant.now().getEpochSecond());
    } catch (MessagesResponse.ErrorBodyException e) {
      throw UpstreamErrors.classify(call, result.status(), RetryAfter.parse(result.headers()),
          MessagesResponse.error(call.json(result.body())), key.reveal());
    } catch (JsonProcessingException e) {
      throw call.notJson(result.body(), e);
    } catch (IOException e) {
      throw new UnreadableResponseException(call.source(200, null, null), "unreadable answer: " + e.getMessage(), e);
    }
    return unlessRefused(call, response);
  }

  private ChunkSource streamPassThrough(MessagesBody callers, Call call) {
    HttpStream stream = http.stream(call, post(messages, callers.write(model), callers.version(), callers.beta()));
    if (!stream.isSuccess()) {
      throw error(call, stream.status(), stream.headers(), stream.readAll(MAX_ERROR_BODY));
    }
    if (isWhole(stream)) {
      return wholeAnswerAsStream(call, readWhole(call, stream, ""));
    }
    long created = Instant.now().getEpochSecond();
    return ChunkSource.over(stream, MessagesStream.passingThrough(call, stream, model, key.reveal(), created));
  }

  @Override
  public Count countTokens(MessagesBody callers, Call call) {
    URI countTokens = URI.create(messages + "/count_tokens");
    HttpResult result = http.send(call, post(countTokens, callers.write(model), callers.version(), callers.beta()));
    if (!result.isSuccess()) {
      throw error(call, result.status(), result.headers(), result.body());
    }
    JsonNode root = call.json(result.body());
    JsonNode tokens = root.get("input_tokens");
    if (tokens == null || !tokens.canConvertToLong()) {
      throw new UnreadableResponseException(call.source(200, null, null),
          "the count_tokens answer has no 'input_tokens' number");
    }
    return new Count(tokens.longValue(), result.body());
  }

  private ChatResponse read(Call call, JsonNode root, String cutWhitespace) {
    try {
      return MessagesResponse.chat(root, model, new LeadingWhitespace(cutWhitespace), Instant.now().getEpochSecond(),
          null);
    } catch (IOException e) {
      throw new UnreadableResponseException(call.source(200, null, null), "unreadable answer: " + e.getMessage(), e);
    }
  }


  private UpstreamException error(Call call, int status, HttpHeaders headers, byte[] body) {
    Duration retryAfter = RetryAfter.parse(headers);
    ErrorDetails details = MessagesResponse.error(body, status);
    return UpstreamErrors.classify(call, status, retryAfter, details, key.reveal());
  }

  /**
   * The answer, unless it is a refusal with nothing said: a {@link ContentPolicyException}, so the router
   * turns to the content-policy fallbacks.
   */
  private static ChatResponse unlessRefused(Call call, ChatResponse answer) {
    if (answer.finishReason() == FinishReason.CONTENT_FILTER && answer.text().isEmpty()
        && answer.toolCalls().isEmpty()) {
      throw new ContentPolicyException(call.source(200, "refusal", null),
          "anthropic declined to answer (stop_reason refusal)");
    }
    return answer;
  }

  private static ChunkSource wholeAnswerAsStream(Call call, ChatResponse refusedOrNot) {
    ChatResponse answer = unlessRefused(call, refusedOrNot);
    List<ToolCallDelta> tools = new ArrayList<>();
    for (int i = 0; i < answer.toolCalls().size(); i++) {
      ToolCall toolCall = answer.toolCalls().get(i);
      tools.add(new ToolCallDelta(i, toolCall.id(), toolCall.name(), toolCall.arguments()));
    }
    String text = answer.message().content();
    Iterator<ChatChunk> chunks = List.of(
        new ChatChunk(answer.id(), answer.created(), answer.upstreamModel(), 0, Role.ASSISTANT, text,
            tools, answer.finishReason() == null ? FinishReason.STOP : answer.finishReason(), null, null),
        new ChatChunk(answer.id(), answer.created(), answer.upstreamModel(), 0, null, null, List.of(), null,
            answer.usage(), null)).iterator();
    return new ChunkSource() {
      @Override
      public @Nullable ChatChunk next() {
        return chunks.hasNext() ? chunks.next() : null;
      }

      @Override
      public void close() {}
    };
  }
}
