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
 * <p>Clouds that host Claude (Vertex AI) take the same Messages body at their own {@link Endpoint}: the
 * model moves from the body to the path, and the API version into the body.
 *
 * <p>A request that came in as a Messages body ({@link MessagesBody}, the gateway's {@code /v1/messages})
 * is passed through: the caller's bytes with only {@code model} rewritten (on a cloud: {@code model} taken
 * out and its {@code anthropic_version} put in), its {@code anthropic-version} and {@code anthropic-beta}
 * headers, and the answer's own bytes carried back beside what the router reads of it.
 */
public final class AnthropicProvider implements Provider, MessagesNative {

  /** The API version every request names; the one Anthropic's SDKs send. */
  static final String API_VERSION = "2023-06-01";

  private static final int MAX_ERROR_BODY = 64 * 1024;

  /** Where the Messages API is served and how a request is authorized: Anthropic's own API, or a cloud's. */
  public interface Endpoint {
    /** The URI to post a request for {@code model} to; a cloud names the model and streaming in the path. */
    URI uri(String model, boolean stream);

    /** The {@code anthropic_version} a cloud wants in the body instead of the {@code model}; null for Anthropic. */
    @Nullable String bodyVersion();

    /** Adds the credentials; may fetch them within the attempt's time limits. */
    void authorize(HttpRequest.Builder request, Call call);

    /** The credential an upstream message might echo, so it can be cleaned; null when there is none. */
    @Nullable String secret();
  }

  /** Anthropic's own API: one Messages URI, the key in {@code x-api-key}, the version in a header. */
  private record KeyEndpoint(URI messages, Secret key) implements Endpoint {
    @Override
    public URI uri(String model, boolean stream) {
      return messages;
    }

    @Override
    public @Nullable String bodyVersion() {
      return null;
    }

    @Override
    public void authorize(HttpRequest.Builder request, Call call) {
      request.header("x-api-key", key.reveal()).header("anthropic-version", API_VERSION);
    }

    @Override
    public String secret() {
      return key.reveal();
    }
  }

  private final Endpoint endpoint;
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
    this(new KeyEndpoint(messages, key), model, defaultMaxTokens, http, capabilities);
  }

  /**
   * A deployment whose Messages API is served at {@code endpoint}, such as Claude on Vertex AI.
   *
   * @param model the model id the endpoint knows it by, such as {@code claude-sonnet-4@20250514}
   */
  public AnthropicProvider(
      Endpoint endpoint, String model, int defaultMaxTokens, HttpTransport http, Capabilities capabilities) {
    this.endpoint = endpoint;
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
    MessagesRequest.Body body =
        MessagesRequest.write(request, model, endpoint.bodyVersion(), defaultMaxTokens, false, call);
    HttpResult result = http.send(call, post(call, false, body.json()));
    if (!result.isSuccess()) {
      throw error(call, result.status(), result.headers(), result.body());
    }
    JsonNode root = call.json(result.body());
    if ("error".equals(Json.text(root, "type"))) {
      throw UpstreamErrors.classify(call, result.status(), RetryAfter.parse(result.headers()),
          MessagesResponse.error(root), endpoint.secret());
    }
    return unlessRefused(call, read(call, root, body.cutWhitespace()));
  }

  @Override
  public ChunkSource streamChat(ChatRequest request, Call call) {
    if (request.source() instanceof MessagesBody callers) {
      return streamPassThrough(callers, call);
    }
    MessagesRequest.Body body =
        MessagesRequest.write(request, model, endpoint.bodyVersion(), defaultMaxTokens, true, call);
    HttpStream stream = http.stream(call, post(call, true, body.json()));
    if (!stream.isSuccess()) {
      throw error(call, stream.status(), stream.headers(), stream.readAll(MAX_ERROR_BODY));
    }
    if (isWhole(stream)) {
      return wholeAnswerAsStream(call, readWhole(call, stream, body.cutWhitespace()));
    }
    LeadingWhitespace prefill = new LeadingWhitespace(body.cutWhitespace());
    long created = Instant.now().getEpochSecond();
    return ChunkSource.over(stream, new MessagesStream(call, stream, model, endpoint.secret(), prefill, created));
  }

  /** Whether a stream asked for came as one JSON body: a proxy that buffers, or an error with a success status. */
  private static boolean isWhole(HttpStream stream) {
    return stream.headers().firstValue("content-type").orElse("").startsWith("application/json");
  }

  private ChatResponse readWhole(Call call, HttpStream stream, String cutWhitespace) {
    byte[] whole = stream.readAll(MAX_ERROR_BODY * 16);
    JsonNode root = call.json(whole);
    if ("error".equals(Json.text(root, "type")) || root.has("error")) {
      throw UpstreamErrors.classify(call, 0, null, MessagesResponse.error(root), endpoint.secret());
    }
    return read(call, root, cutWhitespace);
  }

  private HttpRequest post(Call call, boolean stream, byte[] body) {
    return post(call, endpoint.uri(model, stream), body, null, null);
  }

  /**
   * A request to {@code uri}, authorized by the endpoint, with the caller's {@code anthropic-version} (on
   * Anthropic's own API, where it is a header) and {@code anthropic-beta}, if any.
   */
  private HttpRequest post(Call call, URI uri, byte[] body, @Nullable String version, @Nullable String beta) {
    HttpRequest.Builder request = HttpTransport.request(uri)
        .header("content-type", "application/json")
        .POST(HttpTransport.body(body));
    endpoint.authorize(request, call);
    if (version != null && endpoint.bodyVersion() == null) {
      request.setHeader("anthropic-version", version);
    }
    if (beta != null) {
      request.header("anthropic-beta", beta);
    }
    return request.build();
  }

  // The caller's Messages body, passed through.

  /** The caller's bytes for this endpoint: {@code model} rewritten, or on a cloud replaced by its version. */
  private byte[] callersBody(MessagesBody callers) {
    String bodyVersion = endpoint.bodyVersion();
    return bodyVersion == null ? callers.write(model) : callers.writeForCloud(bodyVersion);
  }

  private ChatResponse passThrough(MessagesBody callers, Call call) {
    HttpResult result = http.send(call,
        post(call, endpoint.uri(model, false), callersBody(callers), callers.version(), callers.beta()));
    if (!result.isSuccess()) {
      throw error(call, result.status(), result.headers(), result.body());
    }
    ChatResponse response;
    try {
      response = MessagesResponse.passedThrough(result.body(), model, Instant.now().getEpochSecond());
    } catch (MessagesResponse.ErrorBodyException e) {
      throw UpstreamErrors.classify(call, result.status(), RetryAfter.parse(result.headers()),
          MessagesResponse.error(call.json(result.body())), endpoint.secret());
    } catch (JsonProcessingException e) {
      throw call.notJson(result.body(), e);
    } catch (IOException e) {
      throw new UnreadableResponseException(call.source(200, null, null), "unreadable answer: " + e.getMessage(), e);
    }
    return unlessRefused(call, response);
  }

  private ChunkSource streamPassThrough(MessagesBody callers, Call call) {
    HttpStream stream = http.stream(call,
        post(call, endpoint.uri(model, true), callersBody(callers), callers.version(), callers.beta()));
    if (!stream.isSuccess()) {
      throw error(call, stream.status(), stream.headers(), stream.readAll(MAX_ERROR_BODY));
    }
    if (isWhole(stream)) {
      return wholeAnswerAsStream(call, readWhole(call, stream, ""));
    }
    long created = Instant.now().getEpochSecond();
    return ChunkSource.over(stream, MessagesStream.passingThrough(call, stream, model, endpoint.secret(), created));
  }

  /**
   * Anthropic's own count ({@code /v1/messages/count_tokens}); null on a cloud, whose counting endpoint
   * differs, so the caller gets Baton's estimate there.
   */
  @Override
  public @Nullable Count countTokens(MessagesBody callers, Call call) {
    if (!(endpoint instanceof KeyEndpoint own)) {
      return null;
    }
    URI countTokens = URI.create(own.messages() + "/count_tokens");
    HttpResult result = http.send(call, post(call, countTokens, callers.write(model), callers.version(), callers.beta()));
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
    return UpstreamErrors.classify(call, status, retryAfter, details, endpoint.secret());
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
