package dev.baton.provider.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.ChatChunk;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.ContentPolicyException;
import dev.baton.EmbeddingRequest;
import dev.baton.EmbeddingResponse;
import dev.baton.FinishReason;
import dev.baton.ToolCall;
import dev.baton.ToolCallDelta;
import dev.baton.UpstreamException;
import dev.baton.Usage;
import dev.baton.config.Secret;
import dev.baton.provider.Call;
import dev.baton.provider.Capabilities;
import dev.baton.provider.ChunkSource;
import dev.baton.provider.Provider;
import dev.baton.provider.UpstreamErrors;
import dev.baton.transport.HttpResult;
import dev.baton.transport.HttpStream;
import dev.baton.transport.HttpTransport;
import dev.baton.transport.RetryAfter;
import dev.baton.wire.Json;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A deployment on Cohere's v2 API: chat on {@code POST /v2/chat} (whole or streamed as server-sent
 * events) and embeddings on {@code POST /v2/embed}, with the key as a bearer token. Requests are
 * translated by {@link CohereRequests}, answers by {@link CohereResponses} and {@link CohereStream};
 * failures, including an answer whose {@code finish_reason} is {@code ERROR} or {@code TIMEOUT}, go
 * through {@link UpstreamErrors}.
 */
public final class CohereProvider implements Provider {

  /** Cohere takes at most this many texts per embed call; longer requests are sent in batches. */
  static final int MAX_EMBED_TEXTS = 96;
  private static final int MAX_ERROR_BODY = 64 * 1024;
  private static final int MAX_JSON_ANSWER = 16 * MAX_ERROR_BODY;

  private final URI chat;
  private final URI embed;
  private final Secret key;
  private final String model;
  private final HttpTransport http;
  private final String inputType;
  private final Capabilities capabilities;

  /**
   * @param base the API's root, such as {@code https://api.cohere.com}, without {@code /v2}
   * @param key the API key
   * @param model Cohere's model id
   * @param http the shared transport
   * @param inputType the {@code input_type} embeddings are asked for when a request does not say
   * @param capabilities what the deployment can do
   */
  public CohereProvider(
      URI base, Secret key, String model, HttpTransport http, String inputType, Capabilities capabilities) {
    this.chat = URI.create(base + "/v2/chat");
    this.embed = URI.create(base + "/v2/embed");
    this.key = key;
    this.model = model;
    this.http = http;
    this.inputType = inputType;
    this.capabilities = capabilities;
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public ChatResponse chat(ChatRequest request, Call call) {
    HttpResult result = http.send(call, post(chat, CohereRequests.chat(request, model, false), false));
    if (!result.isSuccess()) {
      throw error(call, result.status(), result.headers(), result.body());
    }
    return answer(call, call.json(result.body()));
  }

  /** A whole chat answer, or the failure it reports. */
  private ChatResponse answer(Call call, JsonNode root) {
    if (!root.path("message").isObject() && root.has("message")) {
      // An error body under a success status: Cohere's error shape is {"message": "..."}.
      throw UpstreamErrors.classify(call, 0, null, CohereResponses.error(root), key.reveal());
    }
    String finish = Json.text(root, "finish_reason");
    if (finish != null && CohereResponses.failed(finish)) {
      throw UpstreamErrors.classify(call, 0, null, CohereResponses.failure(finish, null), key.reveal());
    }
    ChatResponse response = call.read(() -> CohereResponses.chat(root, model));
    if (response.finishReason() == FinishReason.CONTENT_FILTER && response.text().isEmpty()
        && response.toolCalls().isEmpty()) {
      throw new ContentPolicyException(call.source(0, "content_filter", null),
          "the provider's content filter withheld the answer (finish_reason " + finish + ")");
    }
    return response;
  }

  @Override
  public ChunkSource streamChat(ChatRequest request, Call call) {
    HttpStream stream = http.stream(call, post(chat, CohereRequests.chat(request, model, true), true));
    if (!stream.isSuccess()) {
      throw error(call, stream.status(), stream.headers(), stream.readAll(MAX_ERROR_BODY));
    }
    String type = stream.headers().firstValue("content-type").orElse("");
    if (type.startsWith("application/json")) {
      // A whole answer (or an error) where a stream was asked for: serve it as a stream of one.
      byte[] whole = stream.readAll(MAX_JSON_ANSWER);
      return wholeAnswerAsStream(answer(call, call.json(whole)));
    }
    return ChunkSource.over(stream, new CohereStream(call, stream, model, key.reveal()));
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, Call call) {
    // Through the gateway, extra fields arrive as JSON values rather than Java strings.
    String requested = Json.textOf(request.extra().get("input_type"));
    String type = requested != null && !requested.isBlank() ? requested : inputType;
    List<String> inputs = request.inputs();
    List<float[]> vectors = new ArrayList<>(inputs.size());
    int tokens = 0;
    for (int from = 0; from < inputs.size(); from += MAX_EMBED_TEXTS) {
      List<String> batch = inputs.subList(from, Math.min(inputs.size(), from + MAX_EMBED_TEXTS));
      byte[] body = CohereRequests.embed(batch, model, type, request.dimensions());
      HttpResult result = http.send(call, post(embed, body, false));
      if (!result.isSuccess()) {
        throw error(call, result.status(), result.headers(), result.body());
      }
      JsonNode root = call.json(result.body());
      CohereResponses.Embeddings answer = call.read(() -> CohereResponses.embeddings(root, batch.size()));
      vectors.addAll(answer.vectors());
      tokens += answer.inputTokens();
    }
    return new EmbeddingResponse(model, vectors, Usage.of(tokens, 0), null);
  }

  private HttpRequest post(URI uri, byte[] body, boolean stream) {
    return HttpTransport.request(uri)
        .header("Authorization", "Bearer " + key.reveal())
        .header("Content-Type", "application/json")
        .header("Accept", stream ? "text/event-stream" : "application/json")
        .header("X-Client-Name", "baton")
        .POST(HttpTransport.body(body))
        .build();
  }

  private static ChunkSource wholeAnswerAsStream(ChatResponse answer) {
    Iterator<ChatChunk> chunks = List.of(
        new ChatChunk(answer.id(), answer.created(), answer.upstreamModel(), 0, null, answer.text(),
            toolCallDeltas(answer), answer.finishReason() == null ? FinishReason.STOP : answer.finishReason(),
            null, null),
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

  private static List<ToolCallDelta> toolCallDeltas(ChatResponse answer) {
    List<ToolCallDelta> deltas = new ArrayList<>();
    for (int i = 0; i < answer.toolCalls().size(); i++) {
      ToolCall toolCall = answer.toolCalls().get(i);
      deltas.add(new ToolCallDelta(i, toolCall.id(), toolCall.name(), toolCall.arguments()));
    }
    return deltas;
  }




  private UpstreamException error(Call call, int status, HttpHeaders headers, byte[] body) {
    return UpstreamErrors.classify(call, status, RetryAfter.parse(headers), CohereResponses.error(body), key.reveal());
  }
}
