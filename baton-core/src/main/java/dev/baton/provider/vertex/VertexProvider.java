package dev.baton.provider.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.EmbeddingRequest;
import dev.baton.EmbeddingResponse;
import dev.baton.UnreadableResponseException;
import dev.baton.Usage;
import dev.baton.provider.Call;
import dev.baton.provider.Capabilities;
import dev.baton.provider.ChunkSource;
import dev.baton.provider.Provider;
import dev.baton.provider.UpstreamErrors;
import dev.baton.transport.HttpResult;
import dev.baton.transport.HttpTransport;
import dev.baton.transport.RetryAfter;
import dev.baton.wire.Json;
import dev.baton.wire.OpenAiErrorReader;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A model on Vertex AI. Chat goes to the publisher's own API as Vertex AI serves it (Gemini's
 * {@code generateContent}, Anthropic's Messages, Mistral's or OpenAI's chat completions), which the
 * wrapped provider speaks; completions are chats, as the {@link Provider} defaults make them. Google's
 * embedding models answer {@code predict}, which this class speaks itself.
 */
final class VertexProvider implements Provider {

  /** Most texts one {@code predict} call takes (Vertex AI's documented limit for its text embedding models). */
  static final int PREDICT_BATCH = 250;
  /** Characters per {@code predict} call, keeping under its 20,000-token limit at a pessimistic 3 per token. */
  static final int PREDICT_CHARACTERS = 45_000;

  private final Provider chat;
  private final VertexEndpoints.@Nullable Predict predict;
  private final @Nullable String embeddingModel;
  private final @Nullable HttpTransport http;

  VertexProvider(Provider chat) {
    this(chat, null, null, null);
  }

  private VertexProvider(Provider chat, VertexEndpoints.@Nullable Predict predict, @Nullable String embeddingModel,
      @Nullable HttpTransport http) {
    this.chat = chat;
    this.predict = predict;
    this.embeddingModel = embeddingModel;
    this.http = http;
  }

  /** A Google model: Gemini for chat, and {@code predict} for the embedding models. */
  static VertexProvider google(Provider gemini, VertexEndpoints.Predict predict, String model, HttpTransport http) {
    return isEmbeddingModel(model) ? new VertexProvider(gemini, predict, model, http) : new VertexProvider(gemini);
  }

  /** Google's text embedding models: {@code text-embedding-*}, {@code text-multilingual-embedding-*}, {@code gemini-embedding-*}. */
  static boolean isEmbeddingModel(String model) {
    return model.contains("embedding");
  }

  @Override
  public Capabilities capabilities() {
    return chat.capabilities();
  }

  @Override
  public ChatResponse chat(ChatRequest request, Call call) {
    return chat.chat(request, call);
  }

  @Override
  public ChunkSource streamChat(ChatRequest request, Call call) {
    return chat.streamChat(request, call);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, Call call) {
    if (predict == null || embeddingModel == null || http == null) {
      return Provider.super.embed(request, call);
    }
    List<String> inputs = request.inputs();
    List<float[]> vectors = new ArrayList<>(inputs.size());
    int tokens = 0;
    // Gemini's embedding models take one text a call; the others up to 250 within about 20,000 tokens.
    int most = embeddingModel.startsWith("gemini-embedding") ? 1 : PREDICT_BATCH;
    int from = 0;
    while (from < inputs.size()) {
      int to = from + 1;
      int characters = inputs.get(from).length();
      while (to < inputs.size() && to - from < most && characters + inputs.get(to).length() <= PREDICT_CHARACTERS) {
        characters += inputs.get(to).length();
        to++;
      }
      tokens += predict(call, inputs.subList(from, to), request.dimensions(), vectors);
      from = to;
    }
    return new EmbeddingResponse(embeddingModel, vectors, Usage.of(tokens, 0), null);
  }

  /** One {@code predict} call; adds its vectors and returns the tokens it counted. */
  private int predict(Call call, List<String> texts, @Nullable Integer dimensions, List<float[]> into) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    var instances = body.putArray("instances");
    for (String text : texts) {
      instances.addObject().put("content", text);
    }
    // An over-long text is an error, as at OpenAI, rather than silently cut: the router can then try a
    // model with a larger window.
    ObjectNode parameters = body.putObject("parameters").put("autoTruncate", false);
    if (dimensions != null) {
      parameters.put("outputDimensionality", dimensions);
    }
    HttpRequest.Builder request = HttpTransport.request(predict.uri())
        .header("Content-Type", "application/json")
        .POST(HttpTransport.body(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    predict.authorize(request, call);
    HttpResult result = http.send(call, request.build());
    if (!result.isSuccess()) {
      throw UpstreamErrors.classify(call, result.status(), RetryAfter.parse(result.headers()),
          OpenAiErrorReader.read(result.body()), predict.secret());
    }
    JsonNode predictions = call.json(result.body()).path("predictions");
    if (!predictions.isArray() || predictions.size() != texts.size()) {
      throw new UnreadableResponseException(call.source(200, null, null), "the answer holds "
          + predictions.size() + " predictions for " + texts.size() + " inputs");
    }
    int tokens = 0;
    for (JsonNode prediction : predictions) {
      JsonNode embeddings = prediction.path("embeddings");
      into.add(call.read(() -> Json.floats(embeddings.get("values"))));
      tokens += embeddings.path("statistics").path("token_count").asInt(0);
    }
    return tokens;
  }

  @Override
  public void close() {
    chat.close();
  }
}
